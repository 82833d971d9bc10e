// Concurrency: the verdict cache under 8 threads, registry swaps while threads decide, and the
// real server shut down (SIGTERM) under load. Labelled `concurrency` so `make test-tsan` runs
// these under ThreadSanitizer (the server binary of that build is instrumented too; a race
// report there makes it exit non-zero, which the shutdown test asserts against).
#include <signal.h>

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "server/policy/registry_store.h"
#include "server/service/decision_engine.h"
#include "server/service/verdict_cache.h"
#include "tests/faults/fault_fixture.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestNow;
using service::VerdictCache;

constexpr int kThreads = 8;

TEST(VerdictCacheConcurrencyTest, EightThreadsInsertLookupEvictAndClear) {
  VerdictCache cache({.max_entries = 256, .ttl = absl::Minutes(5)});
  const absl::Time t0 = TestNow();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 4000; ++i) {
        const std::string key = absl::StrCat("k", (i * 7 + t) % 600);  // shared keys, over capacity
        v1::ValidateCertificateResponse response;
        response.set_policy_id(key);
        cache.Insert(key, VerdictCache::MakeVerdict(response), t0, t0 + absl::Minutes(1));
        if (auto hit = cache.Lookup(key, t0 + absl::Seconds(i % 90));
            hit != nullptr && hit->response.policy_id() != key) {
          wrong.fetch_add(1);
        }
        if (t == 0 && i % 1000 == 999) cache.Clear();
        (void)cache.size();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 256u + 16u);  // per-shard rounding
  EXPECT_GT(cache.hits() + cache.misses(), 0u);
}

// Two registries with different policies over one PKI: "a" allows the leaf, "b" pins another
// subject so the leaf is refused. Every decision must match exactly the revision it reports.
TEST(RegistrySwapConcurrencyTest, PublishingSnapshotsWhileEightThreadsDecide) {
  const testing::TestPki pki = testing::MakePki();
  auto build = [&](const std::string& subject_cn) {
    RegistryBuilder builder;
    builder.File("root.pem", pki.root.pem()).File("int.pem", pki.intermediate.pem());
    builder.Policy("p.yaml", absl::StrCat("id: p\ntrust: {anchor_files: [root.pem], intermediate_files: [int.pem]}\n",
                                          "identity: {subject: {cn: [", subject_cn, "]}}\n"));
    return builder.LoadOk();
  };
  const policy::RegistryPtr allow = build("client.example.com");
  const policy::RegistryPtr deny = build("someone-else");
  ASSERT_NE(allow, nullptr);
  ASSERT_NE(deny, nullptr);
  ASSERT_NE(allow->revision(), deny->revision());

  policy::RegistryStore store;
  store.Publish(allow);
  service::DecisionEngine engine(&store, service::FixedClock(TestNow()), {.max_entries = 64, .ttl = absl::Minutes(5)});
  const std::string header = pki.leaf.base64_der();
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0}, inconsistent{0}, decisions{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        service::EvaluationInput input;
        input.headers.push_back({"X-ARR-ClientCert", header, headers::Format::kUnspecified});
        v1::ValidateCertificateResponse response;
        if (!engine.Decide("p", input, &response).ok()) {
          errors.fetch_add(1);
          continue;
        }
        const bool allowed = response.decision() == v1::ALLOW;
        if ((response.revision() == allow->revision()) != allowed ||
            (response.revision() != allow->revision() && response.revision() != deny->revision())) {
          inconsistent.fetch_add(1);
        }
        decisions.fetch_add(1);
      }
    });
  }
  for (int swap = 0; swap < 200; ++swap) {
    store.Publish(swap % 2 == 0 ? deny : allow);
    if (swap % 50 == 0) engine.cache().Clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop.store(true);
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GT(decisions.load(), kThreads);
}

TEST(ServerShutdownConcurrencyTest, SigtermUnderLoadCompletesInFlightCallsAndRefusesNewOnes) {
  const faults::FaultRegistry& registry = faults::Registry();
  const std::string dir = faults::CopyRegistry(registry.dir, "shutdown");
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir, "--shutdown_grace=10s"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();

  faults::LoadGenerator load(server.address(), kThreads, registry.leaf_header);
  load.WaitForCalls(200);
  const int ok_before_signal = load.ok_calls();
  server.Signal(SIGTERM);
  const int exit_code = server.Wait(60);
  faults::LoadGenerator::Totals totals = load.Stop();
  EXPECT_EQ(exit_code, 0) << server.Stderr();
  EXPECT_GE(totals.ok, ok_before_signal);
  // No call got a wrong decision or a broken answer. Calls that race the shutdown end as
  // UNAVAILABLE or, for up to one call per client thread, CANCELLED: gRPC cancels calls that
  // reach the server while it drains. KNOWN GAP (see the README's Hardening section): this test
  // cannot yet tell such a racing call from one that was in flight when SIGTERM arrived.
  EXPECT_EQ(totals.wrong_decision, 0);
  int cancelled = 0;
  for (const auto& [code, count] : totals.errors) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::CANCELLED)
        << count << " calls failed with " << code;
    if (code == grpc::StatusCode::CANCELLED) cancelled += count;
  }
  EXPECT_LE(cancelled, kThreads);

  // Once the process is gone a fresh call is UNAVAILABLE, not a hang.
  EXPECT_EQ(faults::CallOnce(server.address(), "seed", registry.leaf_header).status.error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace certguard
