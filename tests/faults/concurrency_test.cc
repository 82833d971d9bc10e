// Concurrency: the verdict cache under 8 threads, registry swaps while threads decide, and the
// real server shut down (SIGTERM) under load. Labelled `concurrency` so `make test-tsan` runs
// these under ThreadSanitizer (the server binary of that build is instrumented too; a race
// report there makes it exit non-zero, which the shutdown test asserts against).
#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "server/core/decision_engine.h"
#include "server/core/verdict_cache.h"
#include "server/policy/registry_store.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/decide.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/holding_responder.h"
#include "tests/testing/registry_builder.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestNow;
using core::VerdictCache;

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
  core::DecisionEngine engine(&store, core::FixedClock(TestNow()), {.max_entries = 64, .ttl = absl::Minutes(5)});
  const std::string header = pki.leaf.base64_der();
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0}, inconsistent{0}, decisions{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        core::EvaluationInput input;
        input.headers.push_back({"X-ARR-ClientCert", header, headers::Format::kUnspecified});
        v1::ValidateCertificateResponse response;
        if (!testing::DecideInto(engine, "p", input, &response).ok()) {
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

// The callers named by the decision log (one JSON line per decision, on the server's stdout):
// exactly the calls that certguard's handler decided.
std::set<std::string> DecidedCallers(const std::string& server_stdout) {
  constexpr absl::string_view kKey = "\"caller\":\"";
  std::set<std::string> callers;
  for (absl::string_view line : absl::StrSplit(server_stdout, '\n')) {
    const size_t at = line.find(kKey);
    if (at == absl::string_view::npos) continue;
    const size_t begin = at + kKey.size();
    const size_t end = line.find('"', begin);
    if (end != absl::string_view::npos) callers.emplace(line.substr(begin, end - begin));
  }
  return callers;
}

// Adds policy `held` to `dir`: the fault registry's CA, OCSP on `responder` (60 s timeout).
void WriteHeldPolicy(const std::string& dir, const testing::HoldingResponder& responder) {
  testing::WriteFile(dir + "/held.yaml",
                     absl::StrCat("id: held\n"
                                  "trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                                  "revocation: {ocsp: {enabled: true, responder_url: \"",
                                  responder.url(), "\", timeout_ms: 60000}}\n"));
}

// `n` calls to policy `held` on `channel`, one thread each, callers "held-0".."held-<n-1>";
// each result lands in (*results)[i] once its thread is joined.
std::vector<std::thread> StartHeldCalls(const std::shared_ptr<grpc::Channel>& channel, int n,
                                        const std::string& leaf_header, std::vector<testing::CallResult>* results) {
  results->assign(static_cast<size_t>(n), {});
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([channel, leaf_header, results, i] {
      v1::ValidateCertificateRequest request;
      request.set_policy_id("held");
      request.set_header_name("X-ARR-ClientCert");
      request.set_header_value(leaf_header);
      request.set_caller(absl::StrCat("held-", i));
      (*results)[static_cast<size_t>(i)] = testing::Call(channel, request, std::chrono::seconds(120));
    });
  }
  return threads;
}

// SIGTERM while (a) a call is certainly inside certguard's handler (its OCSP fetch is held by
// the test's responder until gRPC's shutdown has begun) and (b) 8 threads call in a loop. Guarantees checked, with no
// timing assumption:
//  * the held call ends with its real answer (DENY / REVOCATION_UNKNOWN once released);
//  * every load call the server decided (its caller is in the decision log) got its answer
//    (OK, ALLOW/OK), and every OK answer was decided by the server;
//  * every other call was refused before it reached certguard: UNAVAILABLE, or CANCELLED when
//    gRPC cancelled it itself (its request reached the connection after gRPC's shutdown had
//    begun, so gRPC never handed it to a service); per thread, no call is answered after one
//    was refused;
//  * the process exits 0 and a fresh call is then UNAVAILABLE.
TEST(ServerShutdownConcurrencyTest, SigtermUnderLoadCompletesInFlightCallsAndRefusesNewOnes) {
  const testing::FaultRegistry& registry = testing::Registry();
  const std::string dir = testing::CopyRegistry(registry.dir, "shutdown");
  testing::HoldingResponder responder;
  WriteHeldPolicy(dir, responder);
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir, "--shutdown_grace=60s",
                                        "--max_call_duration=60s"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();

  // Three held calls on one channel: their OCSP fetches wait on the server's revocation threads,
  // not on gRPC's, so all of them reach the responder.
  constexpr int kHeld = 3;
  auto held_channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  std::vector<testing::CallResult> held;
  std::vector<std::thread> held_threads = StartHeldCalls(held_channel, kHeld, registry.leaf_header, &held);
  const bool all_held = responder.WaitForRequests(kHeld, absl::Seconds(60));
  testing::LoadGenerator load(server.address(), kThreads, registry.leaf_header);
  load.WaitForCalls(200);
  const int ok_before_signal = load.ok_calls();
  server.Signal(SIGTERM);
  // Keep the held calls in the handler until gRPC's shutdown has begun: the listener is closed,
  // so a call on a fresh connection is refused (the server cannot have exited: it is draining
  // the held calls).
  bool listener_closed = false;
  for (int i = 0; i < 6000 && !listener_closed; ++i) {
    listener_closed = testing::CallOnce(server.address(), "seed", registry.leaf_header).status.error_code() ==
                      grpc::StatusCode::UNAVAILABLE;
    if (!listener_closed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(responder.requests(), kHeld);
  responder.Release();
  for (auto& thread : held_threads) thread.join();
  const int exit_code = server.Wait(120);
  testing::LoadGenerator::Totals totals = load.Stop();
  ASSERT_TRUE(all_held) << responder.requests() << " of " << kHeld << " held calls reached the responder";
  EXPECT_TRUE(listener_closed);
  EXPECT_EQ(exit_code, 0) << server.Stderr();

  const std::set<std::string> decided = DecidedCallers(server.Stdout());
  for (int i = 0; i < kHeld; ++i) {
    const testing::CallResult& call = held[static_cast<size_t>(i)];
    EXPECT_TRUE(call.status.ok()) << "held call " << i << " in flight at SIGTERM ended " << call.status.error_code()
                                  << ": " << call.status.error_message();
    EXPECT_EQ(call.response.decision(), v1::DENY);
    EXPECT_EQ(call.response.reason(), v1::REVOCATION_UNKNOWN);
    EXPECT_TRUE(decided.contains(absl::StrCat("held-", i)));
  }

  EXPECT_EQ(totals.wrong_decision, 0);
  EXPECT_GE(totals.ok, ok_before_signal);
  int answered = 0, unavailable = 0, cancelled = 0;
  for (size_t t = 0; t < totals.calls.size(); ++t) {
    bool refused_before = false;
    for (const testing::LoadGenerator::CallRecord& call : totals.calls[t]) {
      const bool was_decided = decided.contains(call.caller);
      if (call.code == grpc::StatusCode::OK) {
        ++answered;
        EXPECT_TRUE(call.allowed) << call.caller;
        EXPECT_TRUE(was_decided) << call.caller << " was answered but is not in the decision log";
        EXPECT_FALSE(refused_before) << call.caller << " was answered after an earlier call of its thread was refused";
        continue;
      }
      refused_before = true;
      EXPECT_FALSE(was_decided) << call.caller << " was decided by the server but ended " << call.code;
      EXPECT_TRUE(call.code == grpc::StatusCode::UNAVAILABLE || call.code == grpc::StatusCode::CANCELLED)
          << call.caller << " ended " << call.code;
      (call.code == grpc::StatusCode::CANCELLED ? cancelled : unavailable) += 1;
    }
  }
  std::cout << "[ shutdown ] load calls: " << answered << " answered, " << unavailable << " UNAVAILABLE, " << cancelled
            << " CANCELLED by gRPC before reaching certguard; " << decided.size() << " decisions logged" << std::endl;

  // Once the process is gone a fresh call is UNAVAILABLE, not a hang.
  EXPECT_EQ(testing::CallOnce(server.address(), "seed", registry.leaf_header).status.error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

// Decisions waiting on an OCSP responder hold certguard's revocation threads, never gRPC's: with
// more such calls waiting than gRPC has threads (2 on this machine's kind), all of them reach
// the responder, and health checks and other policies' calls, on the same connection too, are
// answered meanwhile. Before, a fetch blocked the gRPC thread that read the calls, so the
// others waited behind it.
TEST(RevocationThreadsConcurrencyTest, CallsWaitingOnAResponderLeaveTheServerAnswering) {
  const testing::FaultRegistry& registry = testing::Registry();
  const std::string dir = testing::CopyRegistry(registry.dir, "revocation-threads");
  testing::HoldingResponder responder;
  WriteHeldPolicy(dir, responder);
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir, "--max_call_duration=60s",
                                        "--revocation_threads=6"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();

  constexpr int kHeld = 6;
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  std::vector<testing::CallResult> held;
  std::vector<std::thread> threads = StartHeldCalls(channel, kHeld, registry.leaf_header, &held);
  const bool all_held = responder.WaitForRequests(kHeld, absl::Seconds(60));
  // While every revocation thread waits: other calls, on the same channel and on new ones.
  int answered = 0;
  v1::ValidateCertificateRequest seed;
  seed.set_policy_id("seed");
  seed.set_header_name("X-ARR-ClientCert");
  seed.set_header_value(registry.leaf_header);
  for (int i = 0; i < 10; ++i) {
    const testing::CallResult same = testing::Call(channel, seed);
    const testing::CallResult fresh = testing::CallOnce(server.address(), "seed", registry.leaf_header);
    answered += same.status.ok() && same.response.decision() == v1::ALLOW;
    answered += fresh.status.ok() && fresh.response.decision() == v1::ALLOW;
  }
  grpc::health::v1::HealthCheckResponse health;
  grpc::ClientContext health_context;
  health_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const grpc::Status health_status = grpc::health::v1::Health::NewStub(channel)->Check(
      &health_context, grpc::health::v1::HealthCheckRequest(), &health);
  EXPECT_EQ(responder.requests(), kHeld);  // still held: the answers above did not wait for them
  responder.Release();
  for (auto& thread : threads) thread.join();

  ASSERT_TRUE(all_held) << responder.requests() << " of " << kHeld << " held calls reached the responder";
  EXPECT_EQ(answered, 20);
  EXPECT_TRUE(health_status.ok()) << health_status.error_message();
  EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  for (int i = 0; i < kHeld; ++i) {
    const testing::CallResult& call = held[static_cast<size_t>(i)];
    EXPECT_TRUE(call.status.ok()) << call.status.error_message();
    EXPECT_EQ(call.response.decision(), v1::DENY);
    EXPECT_EQ(call.response.reason(), v1::REVOCATION_UNKNOWN);  // the released responder answers 503
  }
}

}  // namespace
}  // namespace certguard
