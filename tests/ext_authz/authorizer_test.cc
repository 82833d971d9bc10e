// Authorize(): CheckRequests shaped as Envoy sends them, decided by the real evaluator over a
// generated registry at a fixed time; and the same decision as certguard.v1's
// ValidateCertificate path for the same certificate and policy.
#include "server/ext_authz/authorizer.h"

#include <map>

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "server/core/evaluator.h"
#include "server/core/request_conversion.h"
#include "tests/ext_authz/envoy_encoding.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::ext_authz {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::EnvoyUrlEncodePem;
using ::certguard::testing::EnvoyXfcc;
using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::SfBinary;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using envoy::service::auth::v3::CheckRequest;
using envoy::service::auth::v3::CheckResponse;
using ::testing::HasSubstr;

struct World {
  ::certguard::testing::TestPki pki = ::certguard::testing::MakePki();
  TestCert expired = CertFactory::Issue({.cn = "old.example.com",
                                         .not_before = absl::FromUnixSeconds(0),
                                         .not_after = TestNow() - absl::Hours(24 * 365),
                                         .eku = {"clientAuth"}},
                                        pki.intermediate);
  TestCert stranger = CertFactory::SelfSigned({.cn = "client.example.com", .eku = {"clientAuth"}});
  policy::RegistryPtr registry;

  World() {
    RegistryBuilder b;
    b.File("root.pem", pki.root.pem()).File("intermediate.pem", pki.intermediate.pem());
    b.Policy("policies.yaml",
             "policies:\n"
             "  - id: strict\n"
             "    trust: {anchor_files: [root.pem], intermediate_files: [intermediate.pem]}\n"
             "    extended_key_usage: {allowed: [clientAuth]}\n"
             "  - id: anchor-only\n"
             "    trust: {anchor_files: [root.pem]}\n"
             "  - id: open\n"
             "    client_certificate_mode: OPTIONAL\n"
             "    exclusion_paths: /health\n"
             "    trust: {anchor_files: [root.pem], intermediate_files: [intermediate.pem]}\n");
    registry = b.LoadOk();
  }
};

const World& W() {
  static const World* w = new World();
  return *w;
}

struct Call {
  std::string policy;  // context_extensions certguard_policy; empty = not set
  std::string peer_pem;
  std::map<std::string, std::string> headers;
  std::string path = "/api";
  std::string scheme = "https";
};

CheckRequest EnvoyRequest(const Call& call) {
  CheckRequest request;
  auto* attributes = request.mutable_attributes();
  if (!call.peer_pem.empty()) attributes->mutable_source()->set_certificate(EnvoyUrlEncodePem(call.peer_pem));
  attributes->mutable_source()->set_principal("spiffe://example.org/app");
  auto* http = attributes->mutable_request()->mutable_http();
  http->set_method("GET");
  http->set_path(call.path);
  http->set_scheme(call.scheme);
  http->set_host("app.example.com");
  (*http->mutable_headers())[":authority"] = "app.example.com";
  (*http->mutable_headers())[":method"] = "GET";
  (*http->mutable_headers())[":path"] = call.path;
  for (const auto& [k, v] : call.headers) (*http->mutable_headers())[k] = v;
  if (!call.policy.empty()) (*attributes->mutable_context_extensions())["certguard_policy"] = call.policy;
  return request;
}

CheckResponse Check(const Call& call,
                    const ExtAuthzOptions& options = ExtAuthzOptions{.cert_sources = AllCertSources()},
                    v1::ValidateCertificateResponse* decision = nullptr) {
  CheckResponse response;
  const CheckRequest request = EnvoyRequest(call);
  Authorize(W().registry.get(), request, options, TestNow(), &response, decision);
  return response;
}

std::string BodyReason(const CheckResponse& r) {
  return nlohmann::json::parse(r.denied_response().body()).at("reason").get<std::string>();
}

std::map<std::string, std::string> Added(const CheckResponse& r) {
  std::map<std::string, std::string> out;
  for (const auto& h : r.ok_response().headers()) out[h.header().key()] = h.header().value();
  return out;
}

TEST(AuthorizeTest, PeerCertificateAllowsWithIdentityHeaders) {
  CheckResponse r =
      Check({.policy = "strict", .peer_pem = W().pki.leaf.pem(), .headers = {{"x-forwarded-client-cert", "spoofed"}}});
  ASSERT_EQ(r.status().code(), 0) << r.DebugString();
  auto added = Added(r);
  EXPECT_EQ(added["x-client-cert-sha256"], W().pki.leaf.sha256_hex());
  EXPECT_THAT(added["x-client-cert-subject"], HasSubstr("CN=client.example.com"));
  EXPECT_FALSE(added["x-client-cert-issuer"].empty());
  EXPECT_EQ(added["x-certguard-policy"], "strict");
  EXPECT_EQ(added["x-certguard-revision"], W().registry->revision());
  EXPECT_EQ(added["x-certguard-reason"], "OK");
  EXPECT_THAT(r.ok_response().headers_to_remove(), ::testing::ElementsAre("x-forwarded-client-cert"));
}

struct DecisionCase {
  std::string name;
  Call call;
  int rpc_code;
  int http_status;  // 0 = ALLOW
  std::string reason;
};

class AuthorizeTableTest : public ::testing::TestWithParam<DecisionCase> {};

TEST_P(AuthorizeTableTest, Decides) {
  const DecisionCase& c = GetParam();
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  CheckResponse r = Check(c.call, options);
  EXPECT_EQ(r.status().code(), c.rpc_code) << r.DebugString();
  if (c.http_status == 0) {
    ASSERT_TRUE(r.has_ok_response());
    EXPECT_EQ(Added(r)["x-certguard-reason"], c.reason);
  } else {
    ASSERT_TRUE(r.has_denied_response());
    EXPECT_EQ(static_cast<int>(r.denied_response().status().code()), c.http_status);
    EXPECT_EQ(BodyReason(r), c.reason) << r.denied_response().body();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, AuthorizeTableTest,
    ::testing::Values(
        DecisionCase{"Peer", {.policy = "strict", .peer_pem = W().pki.leaf.pem()}, 0, 0, "OK"},
        DecisionCase{"PeerExpired", {.policy = "strict", .peer_pem = W().expired.pem()}, 7, 403, "EXPIRED"},
        DecisionCase{
            "PeerStranger", {.policy = "strict", .peer_pem = W().stranger.pem()}, 7, 403, "SELF_SIGNED_NOT_ALLOWED"},
        DecisionCase{"NoCertificate", {.policy = "strict"}, 16, 401, "CERTIFICATE_MISSING"},
        DecisionCase{
            "Xfcc",
            {.policy = "strict",
             .headers = {{"x-forwarded-client-cert", EnvoyXfcc(W().pki.leaf.sha256_hex(), W().pki.leaf.pem(),
                                                               "CN=client.example.com", "client.example.com")}}},
            0,
            0,
            "OK"},
        DecisionCase{"XfccHashMismatch",
                     {.policy = "strict",
                      .headers = {{"x-forwarded-client-cert",
                                   EnvoyXfcc(W().expired.sha256_hex(), W().pki.leaf.pem(), "CN=x", "x")}}},
                     7,
                     403,
                     "XFCC_HASH_MISMATCH"},
        DecisionCase{"ArrBase64",
                     {.policy = "strict", .headers = {{"x-arr-clientcert", W().pki.leaf.base64_der()}}},
                     0,
                     0,
                     "OK"},
        DecisionCase{"ClientCertWithoutChainIsUntrusted",
                     {.policy = "anchor-only", .headers = {{"client-cert", SfBinary(W().pki.leaf.base64_der())}}},
                     7,
                     403,
                     "UNTRUSTED_CHAIN"},
        DecisionCase{"ClientCertWithChain",
                     {.policy = "anchor-only",
                      .headers = {{"client-cert", SfBinary(W().pki.leaf.base64_der())},
                                  {"client-cert-chain", SfBinary(W().pki.intermediate.base64_der())}}},
                     0,
                     0,
                     "OK"},
        DecisionCase{
            "Garbage", {.policy = "strict", .headers = {{"x-arr-clientcert", "%%%"}}}, 7, 403, "MALFORMED_HEADER"},
        DecisionCase{"PlainHttp",
                     {.policy = "strict", .peer_pem = W().pki.leaf.pem(), .scheme = "http"},
                     7,
                     403,
                     "HTTPS_REQUIRED"},
        DecisionCase{
            "NoScheme", {.policy = "strict", .peer_pem = W().pki.leaf.pem(), .scheme = ""}, 7, 403, "HTTPS_REQUIRED"},
        DecisionCase{"WebSocketScheme",
                     {.policy = "strict", .peer_pem = W().pki.leaf.pem(), .scheme = "ws"},
                     7,
                     403,
                     "HTTPS_REQUIRED"},
        DecisionCase{"SchemeWithSpace",
                     {.policy = "strict", .peer_pem = W().pki.leaf.pem(), .scheme = "http "},
                     7,
                     403,
                     "HTTPS_REQUIRED"},
        DecisionCase{
            "UpperCaseHttps", {.policy = "strict", .peer_pem = W().pki.leaf.pem(), .scheme = "HTTPS"}, 0, 0, "OK"},
        DecisionCase{"OptionalAbsent", {.policy = "open"}, 0, 0, "CERTIFICATE_ABSENT_ALLOWED"},
        DecisionCase{"ExcludedPath",
                     {.policy = "open", .headers = {{"x-arr-clientcert", "%%%"}}, .path = "/health/live"},
                     0,
                     0,
                     "PATH_EXCLUDED"},
        DecisionCase{"UnknownPolicy", {.policy = "nope", .peer_pem = W().pki.leaf.pem()}, 7, 403, "POLICY_NOT_FOUND"},
        DecisionCase{"NoPolicy", {.peer_pem = W().pki.leaf.pem()}, 7, 403, "POLICY_ID_MISSING"}),
    [](const ::testing::TestParamInfo<DecisionCase>& info) { return info.param.name; });

TEST(AuthorizeTest, DefaultPolicyAppliesWhenTheRouteNamesNone) {
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  options.default_policy = "strict";
  CheckResponse r = Check({.peer_pem = W().pki.leaf.pem()}, options);
  EXPECT_EQ(r.status().code(), 0);
  EXPECT_EQ(Added(r)["x-certguard-policy"], "strict");
  r = Check({.policy = "open"}, options);  // the route's own choice wins
  EXPECT_EQ(Added(r)["x-certguard-policy"], "open");
}

TEST(AuthorizeTest, UnknownPolicyBodyNamesIt) {
  CheckResponse r = Check({.policy = "no-such-policy"});
  nlohmann::json body = nlohmann::json::parse(r.denied_response().body());
  EXPECT_EQ(body["policy"], "no-such-policy");
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("no-such-policy"));
  EXPECT_EQ(body["decision"], "DENY");
}

TEST(AuthorizeTest, NoRegistryIsUnavailable) {
  CheckResponse r;
  Authorize(nullptr, EnvoyRequest({.policy = "strict"}), ExtAuthzOptions{.cert_sources = AllCertSources()}, TestNow(),
            &r);
  EXPECT_EQ(r.status().code(), 14);
  EXPECT_EQ(static_cast<int>(r.denied_response().status().code()), 503);
}

TEST(AuthorizeTest, OversizeRequestIsDeniedUnread) {
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  options.max_request_bytes = 1000;
  CheckResponse r = Check({.policy = "strict", .headers = {{"x-pad", std::string(2000, 'a')}}}, options);
  EXPECT_EQ(r.status().code(), 7);
  EXPECT_EQ(BodyReason(r), "HEADER_TOO_LARGE");
}

TEST(AuthorizeTest, PinnedHeaderNamesSeeThePeerCertificateUnderItsPseudoName) {
  RegistryBuilder b;
  b.File("root.pem", W().pki.root.pem()).File("intermediate.pem", W().pki.intermediate.pem());
  b.Policy("p.yaml",
           "policies:\n"
           "  - id: pinned\n"
           "    trust: {anchor_files: [root.pem], intermediate_files: [intermediate.pem]}\n"
           "    headers: {names: [x-forwarded-client-cert]}\n"
           "  - id: pinned-peer\n"
           "    trust: {anchor_files: [root.pem], intermediate_files: [intermediate.pem]}\n"
           "    headers: {names: [':peer-certificate']}\n");
  policy::RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  CheckResponse r;
  Authorize(registry.get(), EnvoyRequest({.policy = "pinned", .peer_pem = W().pki.leaf.pem()}),
            ExtAuthzOptions{.cert_sources = AllCertSources()}, TestNow(), &r);
  EXPECT_EQ(BodyReason(r), "HEADER_NOT_ALLOWED");
  r.Clear();
  Authorize(registry.get(), EnvoyRequest({.policy = "pinned-peer", .peer_pem = W().pki.leaf.pem()}),
            ExtAuthzOptions{.cert_sources = AllCertSources()}, TestNow(), &r);
  EXPECT_EQ(r.status().code(), 0) << r.DebugString();
}

// Both front ends call the same evaluator: the same certificate and policy give the same
// decision, reason, identity and checks through ext_authz and through ValidateCertificate.
TEST(AuthorizeTest, SameDecisionAsValidateCertificate) {
  struct Case {
    std::string policy;
    const TestCert* cert;
  };
  const std::vector<Case> cases = {
      {"strict", &W().pki.leaf}, {"strict", &W().expired}, {"strict", &W().stranger}, {"anchor-only", &W().pki.leaf},
      {"open", &W().pki.leaf},   {"strict", nullptr},      {"open", nullptr}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.policy + " / " + (c.cert ? c.cert->pem().substr(28, 20) : "no certificate"));
    v1::ValidateCertificateResponse via_ext_authz;
    CheckResponse check = Check({.policy = c.policy, .peer_pem = c.cert ? c.cert->pem() : ""},
                                ExtAuthzOptions{.cert_sources = AllCertSources()}, &via_ext_authz);

    v1::ValidateCertificateRequest request;
    request.set_policy_id(c.policy);
    request.set_header_name(":peer-certificate");
    if (c.cert) request.set_header_value(EnvoyUrlEncodePem(c.cert->pem()));
    request.set_format(v1::URL_ENCODED_PEM);
    request.set_path("/api");
    request.set_is_https(true);
    v1::ValidateCertificateResponse via_validator;
    ASSERT_TRUE(core::EvaluateInRegistry(W().registry.get(), c.policy, core::ToEvaluationInput(request), TestNow(),
                                         &via_validator)
                    .ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(via_ext_authz, via_validator))
        << via_ext_authz.DebugString() << "\nvs\n"
        << via_validator.DebugString();
    EXPECT_EQ(check.status().code() == 0, via_validator.decision() == v1::ALLOW);
  }
}

}  // namespace
}  // namespace certguard::ext_authz
