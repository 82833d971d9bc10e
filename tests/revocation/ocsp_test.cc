// OCSP end to end through the evaluator against a real responder (`openssl ocsp`) on loopback.
// The responder stamps thisUpdate/nextUpdate from the wall clock, so each test samples the
// clock once (`now_`) and drives every later time through the evaluator's `now`.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/core/decision_engine.h"
#include "server/core/evaluator.h"
#include "server/revocation/ocsp_checker.h"
#include "server/revocation/ocsp_transport.h"
#include "tests/revocation/ocsp_responder.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/decide.h"
#include "tests/testing/hostile_responder.h"
#include "tests/testing/registry_builder.h"

namespace certguard {
namespace {

using testing::CertFactory;
using testing::CertSpec;
using testing::OcspIndexEntry;
using testing::OcspResponder;
using testing::TestCert;

constexpr char kGoodSerial[] = "0A11CE01";
constexpr char kRevokedSerial[] = "0A11CE02";
constexpr char kUnknownSerial[] = "0A11CE03";

struct Pki {
  testing::TestPki pki = testing::MakePki();
  TestCert responder = CertFactory::Issue({.cn = "OCSP Responder", .eku = {"OCSPSigning"}}, pki.intermediate);
  TestCert other_ca = CertFactory::SelfSigned({.cn = "Other CA", .is_ca = true});
  TestCert foreign_responder = CertFactory::Issue({.cn = "Foreign Responder", .eku = {"OCSPSigning"}}, other_ca);
  TestCert good = Leaf(kGoodSerial, "good");
  TestCert revoked = Leaf(kRevokedSerial, "revoked");
  TestCert unknown = Leaf(kUnknownSerial, "unknown");
  TestCert Leaf(const std::string& serial, const std::string& cn, const std::string& aia = "") const {
    return CertFactory::Issue({.cn = cn, .serial_hex = serial, .eku = {"clientAuth"}, .ocsp_url = aia},
                              pki.intermediate);
  }
};
const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

const absl::Time kRevokedAt = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

std::vector<OcspIndexEntry> Index() {
  return {{kGoodSerial, "/CN=good", std::nullopt}, {kRevokedSerial, "/CN=revoked", kRevokedAt}};
}

class OcspTest : public ::testing::Test {
 protected:
  void LoadPolicy(const std::string& ocsp_yaml) {
    testing::RegistryBuilder b;
    b.File("root.pem", P().pki.root.pem()).File("intermediate.pem", P().pki.intermediate.pem());
    b.Policy("p.yaml",
             absl::StrCat("id: p\ntrust:\n  anchor_files: [root.pem]\n  intermediate_files: [intermediate.pem]\n"
                          "revocation:\n  ocsp: ",
                          ocsp_yaml, "\n"));
    registry_ = b.LoadOk();
    ASSERT_NE(registry_, nullptr);
  }
  static std::string Ocsp(const std::string& url, const std::string& unreachable = "FAIL_CLOSED",
                          int timeout_ms = 1000) {
    return absl::StrCat("{enabled: true, responder_url: \"", url, "\", timeout_ms: ", timeout_ms,
                        ", unreachable: ", unreachable, "}");
  }
  v1::ValidateCertificateResponse Eval(const TestCert& leaf, absl::Time now) {
    v1::ValidateCertificateResponse r;
    const std::string header = leaf.base64_der();
    core::EvaluationInput input;
    input.headers.push_back({"X-ARR-ClientCert", header});
    EXPECT_TRUE(core::EvaluateInRegistry(registry_.get(), "p", input, now, &r).ok());
    return r;
  }
  static const v1::Check* OcspCheck(const v1::ValidateCertificateResponse& r) {
    for (const auto& c : r.checks()) {
      if (c.name() == "ocsp") return &c;
    }
    return nullptr;
  }

  absl::Time now_ = absl::Now();
  policy::RegistryPtr registry_;
};

TEST_F(OcspTest, GoodRevokedUnknownFromDelegatedResponder) {
  OcspResponder responder(P().pki.intermediate, P().responder, Index(), 60);
  ASSERT_GT(responder.port(), 0);
  LoadPolicy(Ocsp(responder.url()));

  auto good = Eval(P().good, now_);
  EXPECT_EQ(good.decision(), v1::ALLOW) << good.DebugString();
  ASSERT_NE(OcspCheck(good), nullptr);
  EXPECT_TRUE(OcspCheck(good)->passed());
  EXPECT_TRUE(absl::StartsWith(OcspCheck(good)->detail(), "good")) << OcspCheck(good)->detail();

  auto revoked = Eval(P().revoked, now_);
  EXPECT_EQ(revoked.decision(), v1::DENY);
  EXPECT_EQ(revoked.reason(), v1::REVOKED) << revoked.DebugString();
  EXPECT_EQ(revoked.revocation_time().seconds(), absl::ToUnixSeconds(kRevokedAt));

  // "unknown" is an authoritative answer: REVOCATION_UNKNOWN even under SOFT_FAIL.
  auto unknown = Eval(P().unknown, now_);
  EXPECT_EQ(unknown.reason(), v1::REVOCATION_UNKNOWN) << unknown.DebugString();
  LoadPolicy(Ocsp(responder.url(), "SOFT_FAIL"));
  EXPECT_EQ(Eval(P().unknown, now_).reason(), v1::REVOCATION_UNKNOWN);
}

TEST_F(OcspTest, IssuerSignedResponseAndAiaUrl) {
  OcspResponder responder(P().pki.intermediate, P().pki.intermediate, Index(), 60);
  ASSERT_GT(responder.port(), 0);
  // No responder_url: the leaf's AIA names the responder.
  LoadPolicy("{enabled: true}");
  TestCert with_aia = P().Leaf(kRevokedSerial, "aia", responder.url());
  auto r = Eval(with_aia, now_);
  EXPECT_EQ(r.reason(), v1::REVOKED) << r.DebugString();
  // Without AIA and without responder_url there is nobody to ask: fail closed.
  auto none = Eval(P().good, now_);
  EXPECT_EQ(none.reason(), v1::REVOCATION_UNKNOWN) << none.DebugString();
}

TEST_F(OcspTest, ResponderSignedByAnotherCaIsRejected) {
  OcspResponder responder(P().pki.intermediate, P().foreign_responder, Index(), 60);
  ASSERT_GT(responder.port(), 0);
  LoadPolicy(Ocsp(responder.url()));
  auto r = Eval(P().good, now_);
  EXPECT_EQ(r.reason(), v1::REVOCATION_UNKNOWN) << r.DebugString();
  EXPECT_TRUE(absl::StrContains(OcspCheck(r)->detail(), "signer")) << OcspCheck(r)->detail();
}

TEST_F(OcspTest, ResponderDownFailClosedVersusSoftFail) {
  const std::string url = absl::StrCat("http://127.0.0.1:", testing::UnusedPort(), "/");
  LoadPolicy(Ocsp(url));
  auto closed = Eval(P().good, now_);
  EXPECT_EQ(closed.decision(), v1::DENY);
  EXPECT_EQ(closed.reason(), v1::REVOCATION_UNKNOWN) << closed.DebugString();

  LoadPolicy(Ocsp(url, "SOFT_FAIL"));
  auto open = Eval(P().good, now_);
  EXPECT_EQ(open.decision(), v1::ALLOW) << open.DebugString();
  ASSERT_NE(OcspCheck(open), nullptr);
  EXPECT_TRUE(OcspCheck(open)->passed());
  EXPECT_TRUE(absl::StrContains(OcspCheck(open)->detail(), "failed open")) << OcspCheck(open)->detail();
  EXPECT_TRUE(OcspCheck(open)->failed_open());
  EXPECT_FALSE(OcspCheck(closed)->failed_open());
  // A failed-open verdict carries no cache bound: it must not be cached.
  EXPECT_EQ(open.valid_until().seconds(), absl::ToUnixSeconds(now_));
}

// A responder that fails is not asked again for revocation.ocsp.failure_cache_ms (per URL, shared by
// every policy): checks in that window fail at once with the recorded failure.
TEST_F(OcspTest, AFailingResponderIsAskedOncePerInterval) {
  testing::HostileResponder busy(testing::HostileResponder::Mode::kReply, absl::ZeroDuration(),
                                 "HTTP/1.0 503 Service Unavailable\r\n\r\n");
  LoadPolicy(absl::StrCat("{enabled: true, responder_url: \"", busy.url(), "\", failure_cache_ms: 60000}"));
  for (int i = 0; i < 5; ++i) {
    auto r = Eval(P().good, now_);
    EXPECT_EQ(r.reason(), v1::REVOCATION_UNKNOWN) << r.DebugString();
    ASSERT_NE(OcspCheck(r), nullptr);
    EXPECT_TRUE(absl::StrContains(OcspCheck(r)->detail(), "HTTP 503")) << OcspCheck(r)->detail();
    if (i > 0) {
      EXPECT_TRUE(absl::StrContains(OcspCheck(r)->detail(), "not asked again before"));
    }
  }
  EXPECT_EQ(busy.connections(), 1);
  Eval(P().good, now_ + absl::Seconds(61));  // the interval passed: asked again
  EXPECT_EQ(busy.connections(), 2);

  testing::HostileResponder busy2(testing::HostileResponder::Mode::kReply, absl::ZeroDuration(),
                                  "HTTP/1.0 503 Service Unavailable\r\n\r\n");
  LoadPolicy(absl::StrCat("{enabled: true, responder_url: \"", busy2.url(), "\", failure_cache_ms: 0}"));
  for (int i = 0; i < 3; ++i) Eval(P().good, now_);
  EXPECT_EQ(busy2.connections(), 3);  // 0 = off: every check asks
}

TEST_F(OcspTest, ResponderTimeout) {
  testing::StallingListener stall;
  LoadPolicy(Ocsp(absl::StrCat("http://127.0.0.1:", stall.port(), "/"), "FAIL_CLOSED", 300));
  const absl::Time start = absl::Now();
  auto r = Eval(P().good, now_);
  EXPECT_EQ(r.reason(), v1::REVOCATION_UNKNOWN) << r.DebugString();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(OcspTest, CachedUntilNextUpdate) {
  OcspResponder responder(P().pki.intermediate, P().responder, Index(), 10);  // nextUpdate = +10 min
  ASSERT_GT(responder.port(), 0);
  LoadPolicy(Ocsp(responder.url()));
  auto first = Eval(P().good, now_);
  ASSERT_EQ(first.decision(), v1::ALLOW) << first.DebugString();
  const absl::Time until = absl::FromUnixSeconds(first.valid_until().seconds());
  EXPECT_GT(until, now_ + absl::Minutes(9));
  EXPECT_LE(until, now_ + absl::Minutes(11));

  responder.Stop();
  auto cached = Eval(P().good, now_ + absl::Minutes(5));
  EXPECT_EQ(cached.decision(), v1::ALLOW) << cached.DebugString();
  EXPECT_TRUE(absl::StrContains(OcspCheck(cached)->detail(), "cached response")) << OcspCheck(cached)->detail();

  // Past nextUpdate the cached answer is gone and the stopped responder cannot be reached.
  auto expired = Eval(P().good, now_ + absl::Minutes(11));
  EXPECT_EQ(expired.reason(), v1::REVOCATION_UNKNOWN) << expired.DebugString();
}

TEST_F(OcspTest, VerdictCacheNeverOutlivesOcspNextUpdate) {
  OcspResponder responder(P().pki.intermediate, P().responder, Index(), 10);
  ASSERT_GT(responder.port(), 0);
  LoadPolicy(Ocsp(responder.url()));
  policy::RegistryStore store;
  store.Publish(registry_);
  absl::Time clock = now_;
  core::DecisionEngine engine(&store, [&clock] { return clock; }, {.max_entries = 100, .ttl = absl::Hours(1)});
  const std::string header = P().good.base64_der();
  core::EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", header});
  v1::ValidateCertificateResponse r1, r2, r3;
  ASSERT_TRUE(testing::DecideInto(engine, "p", input, &r1).ok());
  EXPECT_EQ(r1.decision(), v1::ALLOW);
  clock = now_ + absl::Minutes(5);
  ASSERT_TRUE(testing::DecideInto(engine, "p", input, &r2).ok());
  EXPECT_TRUE(r2.from_cache());
  responder.Stop();
  clock = now_ + absl::Minutes(11);  // past the OCSP nextUpdate, well within the verdict TTL
  ASSERT_TRUE(testing::DecideInto(engine, "p", input, &r3).ok());
  EXPECT_FALSE(r3.from_cache());
  EXPECT_EQ(r3.reason(), v1::REVOCATION_UNKNOWN) << r3.DebugString();
}

TEST(OcspConfigTest, OnlyHttpResponderUrls) {
  testing::RegistryBuilder b;
  b.File("root.pem", P().pki.root.pem());
  b.Policy("p.yaml",
           "id: p\ntrust: {anchor_files: [root.pem]}\n"
           "revocation: {ocsp: {enabled: true, responder_url: \"https://ocsp.example.com/\"}}\n");
  policy::LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(absl::StrContains(result.ErrorSummary(), "only http://")) << result.ErrorSummary();
}

TEST(OcspUrlTest, ParseHttpUrl) {
  auto u = revocation::ParseHttpUrl("HTTP://ocsp.example.com:8080/a/b");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "ocsp.example.com");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->path, "/a/b");
  u = revocation::ParseHttpUrl("http://[::1]");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->path, "/");
  EXPECT_FALSE(revocation::ParseHttpUrl("https://x/").ok());
  EXPECT_FALSE(revocation::ParseHttpUrl("ldap://x/").ok());
  EXPECT_FALSE(revocation::ParseHttpUrl("http://:80/").ok());
  EXPECT_FALSE(revocation::ParseHttpUrl("http://x:99999/").ok());
  EXPECT_FALSE(revocation::ParseHttpUrl("http://user@x/").ok());
}

}  // namespace
}  // namespace certguard
