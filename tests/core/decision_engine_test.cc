// The decision engine: the verdict cache in front of the evaluator.
#include "server/core/decision_engine.h"

#include <atomic>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "server/core/blocking_pool.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/decide.h"
#include "tests/testing/registry_builder.h"

namespace certguard::core {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::MakePki;
using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::certguard::testing::TestPki;

class DecisionEngineTest : public ::testing::Test {
 protected:
  DecisionEngineTest() {
    builder_.File("root.pem", pki_.root.pem()).File("int.pem", pki_.intermediate.pem());
    builder_.Policy("p.yaml",
                    "id: p\nclient_certificate_mode: OPTIONAL\nexclusion_paths: /health\n"
                    "trust: {anchor_files: [root.pem], intermediate_files: [int.pem]}\n");
    store_.Publish(builder_.LoadOk());
  }

  v1::ValidateCertificateResponse Decide(DecisionEngine& engine, const std::string& value,
                                         absl::string_view path = "") {
    EvaluationInput input;
    input.headers.push_back({"X-ARR-ClientCert", value});
    input.path = path;
    v1::ValidateCertificateResponse r;
    EXPECT_TRUE(testing::DecideInto(engine, "p", input, &r).ok());
    return r;
  }

  TestPki pki_ = MakePki();
  RegistryBuilder builder_;
  policy::RegistryStore store_;
  absl::Time now_ = TestNow();
  Clock clock_ = [this] { return now_; };
};

TEST_F(DecisionEngineTest, SecondIdenticalRequestIsACacheHit) {
  DecisionEngine engine(&store_, clock_, {.max_entries = 100, .ttl = absl::Minutes(5)});
  auto first = Decide(engine, pki_.leaf.base64_der());
  EXPECT_EQ(first.decision(), v1::ALLOW);
  EXPECT_FALSE(first.from_cache());
  auto second = Decide(engine, pki_.leaf.base64_der());
  EXPECT_TRUE(second.from_cache());
  EXPECT_EQ(second.decision(), v1::ALLOW);
  EXPECT_EQ(second.identity().sha256_thumbprint(), first.identity().sha256_thumbprint());
  EXPECT_EQ(engine.cache().hits(), 1u);
  // Denials are cached too.
  TestCert stranger = CertFactory::SelfSigned({.cn = "x", .eku = {"clientAuth"}});
  EXPECT_FALSE(Decide(engine, stranger.base64_der()).from_cache());
  EXPECT_TRUE(Decide(engine, stranger.base64_der()).from_cache());
}

// A policy with `callers` decides nothing, cached or not, for a caller it does not list.
TEST_F(DecisionEngineTest, CallersOutsideThePolicysListArePermissionDenied) {
  builder_.Policy("q.yaml",
                  "id: q\ncallers: ['spiffe://example.org/ns/ops/*', 'dn:CN=orders']\n"
                  "trust: {anchor_files: [root.pem], intermediate_files: [int.pem]}\n");
  store_.Publish(builder_.LoadOk());
  DecisionEngine engine(&store_, clock_, {.max_entries = 100, .ttl = absl::Minutes(5)});
  const std::string header = pki_.leaf.base64_der();
  EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", header});
  const policy::PeerIdentity ops{.has_certificate = true, .spiffe_id = "spiffe://example.org/ns/ops/api"};
  const policy::PeerIdentity orders{.has_certificate = true, .subject_dn = "CN=orders"};
  const policy::PeerIdentity payments{.has_certificate = true, .spiffe_id = "spiffe://example.org/ns/payments/api"};
  for (const policy::PeerIdentity* allowed : {&ops, &orders}) {
    const CallInfo call{"validator", "", "", absl::InfiniteFuture(), allowed};
    absl::StatusOr<Decision> d = DecideAndWait(engine, "q", input, call);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->response->decision(), v1::ALLOW) << v1::Reason_Name(d->response->reason());
  }
  // Now cached: still refused to others.
  for (const policy::PeerIdentity* refused : {&payments, static_cast<const policy::PeerIdentity*>(nullptr)}) {
    const CallInfo call{"validator", "", "", absl::InfiniteFuture(), refused};
    absl::StatusOr<Decision> d = DecideAndWait(engine, "q", input, call);
    EXPECT_TRUE(absl::IsPermissionDenied(d.status())) << d.status();
  }
  EXPECT_THAT(std::string(DecideAndWait(engine, "q", input, {"validator", "", "", absl::InfiniteFuture(), &payments})
                              .status()
                              .message()),
              ::testing::HasSubstr("spiffe://example.org/ns/payments/api"));
  // A policy without `callers` admits every caller.
  EXPECT_TRUE(DecideAndWait(engine, "p", input).ok());
}

TEST_F(DecisionEngineTest, ExclusionsAndAbsentCertificatesAreNotCached) {
  DecisionEngine engine(&store_, clock_, {.max_entries = 100, .ttl = absl::Minutes(5)});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(Decide(engine, "", "").from_cache());
    EXPECT_FALSE(Decide(engine, pki_.leaf.base64_der(), "/health").from_cache());
  }
  EXPECT_EQ(engine.cache().size(), 0u);
}

TEST_F(DecisionEngineTest, EntryNeverOutlivesTheLeafsNotAfter) {
  const absl::Time now = TestNow();
  TestCert short_lived = CertFactory::Issue(
      {.cn = "short", .not_before = now - absl::Hours(1), .not_after = now + absl::Seconds(30), .eku = {"clientAuth"}},
      pki_.intermediate);
  DecisionEngine engine(&store_, clock_, {.max_entries = 100, .ttl = absl::Hours(1)});
  EXPECT_EQ(Decide(engine, short_lived.base64_der()).decision(), v1::ALLOW);
  EXPECT_TRUE(Decide(engine, short_lived.base64_der()).from_cache());
  now_ = now + absl::Seconds(45);  // past notAfter: re-evaluated, now EXPIRED
  auto later = Decide(engine, short_lived.base64_der());
  EXPECT_FALSE(later.from_cache());
  EXPECT_EQ(later.reason(), v1::EXPIRED);
}

TEST_F(DecisionEngineTest, ANewRevisionNeverSeesOldVerdicts) {
  DecisionEngine engine(&store_, clock_, {.max_entries = 100, .ttl = absl::Hours(1)});
  EXPECT_EQ(Decide(engine, pki_.leaf.base64_der()).decision(), v1::ALLOW);
  RegistryBuilder other;
  other.File("root.pem", pki_.root.pem())
      .Policy("p.yaml", "id: p\ntrust: {anchor_files: [root.pem]}\n");  // no intermediate: untrusted
  store_.Publish(other.LoadOk());
  auto r = Decide(engine, pki_.leaf.base64_der());
  EXPECT_FALSE(r.from_cache());
  EXPECT_EQ(r.reason(), v1::UNTRUSTED_CHAIN);
}

TEST_F(DecisionEngineTest, CacheOffAlwaysEvaluates) {
  DecisionEngine engine(&store_, clock_, {.max_entries = 0});
  Decide(engine, pki_.leaf.base64_der());
  EXPECT_FALSE(Decide(engine, pki_.leaf.base64_der()).from_cache());
}

}  // namespace
}  // namespace certguard::core

namespace certguard::core {
namespace {

EvaluationInput Input(std::vector<headers::HeaderInput> hs, std::optional<bool> https = std::nullopt) {
  EvaluationInput input;
  input.headers.assign(hs.begin(), hs.end());
  input.is_https = https;
  return input;
}

TEST(VerdictKeyTest, SameBytesSameKeyAndEveryFieldCounts) {
  const std::string base = VerdictKey("r1", "p", Input({{"X-ARR-ClientCert", "abc"}}));
  EXPECT_EQ(base, VerdictKey("r1", "p", Input({{"x-arr-clientcert", "abc"}})));  // names are case-insensitive
  EXPECT_NE(base, VerdictKey("r2", "p", Input({{"X-ARR-ClientCert", "abc"}})));
  EXPECT_NE(base, VerdictKey("r1", "q", Input({{"X-ARR-ClientCert", "abc"}})));
  EXPECT_NE(base, VerdictKey("r1", "p", Input({{"X-ARR-ClientCert", "abd"}})));
  EXPECT_NE(base, VerdictKey("r1", "p", Input({{"X-ARR-ClientCert", "abc", headers::Format::kPem}})));
  EXPECT_NE(base, VerdictKey("r1", "p", Input({{"X-ARR-ClientCert", "abc"}}, true)));
  EXPECT_NE(VerdictKey("r1", "p", Input({{"X-ARR-ClientCert", "abc"}}, true)),
            VerdictKey("r1", "p", Input({{"X-ARR-ClientCert", "abc"}}, false)));
  // Length prefixes: moving bytes between adjacent fields never yields the same key.
  EXPECT_NE(VerdictKey("r1", "p", Input({{"a", "bc"}})), VerdictKey("r1", "p", Input({{"ab", "c"}})));
  EXPECT_NE(VerdictKey("r1", "pa", Input({{"b", "c"}})), VerdictKey("r1p", "a", Input({{"b", "c"}})));
  EXPECT_NE(VerdictKey("r1", "p", Input({{"a", "b"}, {"c", "d"}})), VerdictKey("r1", "p", Input({{"a", "b"}})));
}

class CountingObserver : public DecisionObserver {
 public:
  void OnDecision(const DecisionEvent&) override { ++events; }
  int events = 0;
};

// A policy that checks OCSP (its responder refuses connections at once: fail closed), beside p.
class DeferralTest : public DecisionEngineTest {
 protected:
  DeferralTest() {
    builder_.Policy("o.yaml",
                    "id: o\ntrust: {anchor_files: [root.pem], intermediate_files: [int.pem]}\n"
                    "revocation: {ocsp: {enabled: true, responder_url: \"http://127.0.0.1:9/\", timeout_ms: 2000}}\n");
    store_.Publish(builder_.LoadOk());
    engine_.set_observer(&observer_);
  }

  // One Decide call: its outcome, on which thread `done` ran, and how often.
  struct Outcome {
    absl::StatusOr<Decision> decision;
    bool inline_answer = false;  // `done` ran before Decide returned, on the calling thread
    int calls = 0;
  };
  Outcome Run(absl::string_view policy, const std::string& value) {
    EvaluationInput input;
    input.headers.push_back({"X-ARR-ClientCert", value});
    Outcome out;
    absl::Notification finished;
    std::atomic<bool> returned{false};
    const std::thread::id caller = std::this_thread::get_id();
    engine_.Decide(policy, input, call_, [&](absl::StatusOr<Decision> d) {
      out.decision = std::move(d);
      out.inline_answer = !returned && std::this_thread::get_id() == caller;
      ++out.calls;
      finished.Notify();
    });
    returned = true;
    finished.WaitForNotification();
    return out;
  }

  DecisionEngine engine_{&store_, clock_, {.max_entries = 100, .ttl = absl::Minutes(5)}};
  CountingObserver observer_;
  const CallInfo call_{"validator", "test", "", absl::InfiniteFuture()};
};

TEST_F(DeferralTest, AnOcspDecisionRunsOnTheRevocationPoolAndIsObservedOnce) {
  BlockingPool pool(1, 4);
  engine_.set_revocation_pool(&pool);
  Outcome o = Run("o", pki_.leaf.base64_der());
  EXPECT_FALSE(o.inline_answer);
  EXPECT_EQ(o.calls, 1);
  ASSERT_TRUE(o.decision.ok());
  // The fetch fails: fail closed.
  EXPECT_EQ(o.decision->response->decision(), v1::DENY);
  EXPECT_EQ(o.decision->response->reason(), v1::REVOCATION_UNKNOWN);
  EXPECT_EQ(observer_.events, 1);
  engine_.set_revocation_pool(nullptr);
  // Without a pool the same decision is made on the caller's thread.
  o = Run("o", pki_.leaf.base64_der());
  EXPECT_TRUE(o.inline_answer);
  EXPECT_EQ(o.decision->response->reason(), v1::REVOCATION_UNKNOWN);
  EXPECT_EQ(observer_.events, 2);
}

TEST_F(DeferralTest, WhatNeedsNoFetchIsDecidedAtOnce) {
  BlockingPool pool(1, 4);
  engine_.set_revocation_pool(&pool);
  // A policy without OCSP.
  Outcome o = Run("p", pki_.leaf.base64_der());
  EXPECT_TRUE(o.inline_answer);
  EXPECT_EQ(o.decision->response->decision(), v1::ALLOW);
  // No certificate to check.
  o = Run("o", "");
  EXPECT_TRUE(o.inline_answer);
  EXPECT_EQ(o.decision->response->reason(), v1::CERTIFICATE_MISSING);
  // An RPC-level refusal.
  o = Run("unknown", pki_.leaf.base64_der());
  EXPECT_TRUE(o.inline_answer);
  EXPECT_EQ(o.decision.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(observer_.events, 3);
  // A cached verdict of an OCSP policy: a stranger fails the chain before any fetch, and its
  // DENY is cached; the second call is a hit, decided at once.
  TestCert stranger = CertFactory::SelfSigned({.cn = "x", .eku = {"clientAuth"}});
  EXPECT_FALSE(Run("o", stranger.base64_der()).inline_answer);
  o = Run("o", stranger.base64_der());
  EXPECT_TRUE(o.inline_answer);
  EXPECT_TRUE(o.decision->response->from_cache());
  EXPECT_EQ(o.decision->response->reason(), v1::SELF_SIGNED_NOT_ALLOWED);
  engine_.set_revocation_pool(nullptr);
}

TEST_F(DeferralTest, AFullRevocationQueueAnswersUnavailableAtOnce) {
  // One worker held busy and its one queue place taken: the next OCSP decision is refused,
  // still answered exactly once.
  absl::Notification release;  // declared before the pool: outlives its worker
  absl::Notification started;
  BlockingPool pool(1, 1);
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  ASSERT_TRUE(pool.TrySubmit([] {}));
  engine_.set_revocation_pool(&pool);
  const Outcome o = Run("o", pki_.leaf.base64_der());
  release.Notify();
  EXPECT_TRUE(o.inline_answer);
  EXPECT_EQ(o.calls, 1);
  EXPECT_EQ(o.decision.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(observer_.events, 1);
  engine_.set_revocation_pool(nullptr);
}

}  // namespace
}  // namespace certguard::core
