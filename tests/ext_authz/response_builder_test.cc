// Decisions -> CheckResponses: status codes, HTTP statuses, JSON bodies, header mutations.
#include "server/ext_authz/response_builder.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"

namespace certguard::ext_authz {
namespace {

using envoy::service::auth::v3::CheckResponse;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// Header name -> value, asserting every option replaces (append == false).
std::map<std::string, std::string> HeaderMap(
    const google::protobuf::RepeatedPtrField<envoy::config::core::v3::HeaderValueOption>& headers) {
  std::map<std::string, std::string> out;
  for (const auto& h : headers) {
    EXPECT_TRUE(h.has_append());
    EXPECT_FALSE(h.append().value()) << h.header().key();
    out[h.header().key()] = h.header().value();
  }
  return out;
}

struct DenyCase {
  v1::Reason reason;
  int rpc_code;
  int http_status;
};

class DenyTest : public ::testing::TestWithParam<DenyCase> {};

TEST_P(DenyTest, StatusCodeHttpStatusAndJsonBody) {
  v1::ValidateCertificateResponse decision;
  decision.set_decision(v1::DENY);
  decision.set_reason(GetParam().reason);
  decision.set_message("the message");
  decision.set_policy_id("seed");
  CheckResponse response;
  BuildDenied(DenialForDecision(decision), &response);
  EXPECT_EQ(response.status().code(), GetParam().rpc_code);
  EXPECT_EQ(response.status().message(), "the message");
  ASSERT_TRUE(response.has_denied_response());
  EXPECT_EQ(static_cast<int>(response.denied_response().status().code()), GetParam().http_status);
  EXPECT_EQ(HeaderMap(response.denied_response().headers()),
            (std::map<std::string, std::string>{{"content-type", "application/json"}}));
  nlohmann::json body = nlohmann::json::parse(response.denied_response().body());
  EXPECT_EQ(body, (nlohmann::json{{"decision", "DENY"},
                                  {"reason", v1::Reason_Name(GetParam().reason)},
                                  {"message", "the message"},
                                  {"policy", "seed"}}));
}

INSTANTIATE_TEST_SUITE_P(Table, DenyTest,
                         ::testing::Values(DenyCase{v1::CERTIFICATE_MISSING, 16, 401}, DenyCase{v1::EXPIRED, 7, 403},
                                           DenyCase{v1::UNTRUSTED_CHAIN, 7, 403},
                                           DenyCase{v1::MALFORMED_HEADER, 7, 403}, DenyCase{v1::HTTPS_REQUIRED, 7, 403},
                                           DenyCase{v1::INTERNAL_ERROR, 7, 403}));

TEST(DenialTest, BodyIsExactAndOrdered) {
  Denial d{.rpc_code = 7, .http_status = 403, .reason = "EXPIRED", .message = "m \"q\"", .policy = "p"};
  EXPECT_EQ(DenialBody(d), R"({"decision":"DENY","reason":"EXPIRED","message":"m \"q\"","policy":"p"})");
  d.message = std::string("bad \xff utf8");
  EXPECT_NO_THROW(nlohmann::json::parse(DenialBody(d)));
}

struct StatusCase {
  absl::Status status;
  std::string reason;
  int rpc_code;
  int http_status;
};

class DenialForStatusTest : public ::testing::TestWithParam<StatusCase> {};

TEST_P(DenialForStatusTest, Maps) {
  Denial d = DenialForStatus(GetParam().status, "pol");
  EXPECT_EQ(d.reason, GetParam().reason);
  EXPECT_EQ(d.rpc_code, GetParam().rpc_code);
  EXPECT_EQ(d.http_status, GetParam().http_status);
  EXPECT_EQ(d.policy, "pol");
  EXPECT_EQ(d.message, GetParam().status.message());
}

INSTANTIATE_TEST_SUITE_P(
    Table, DenialForStatusTest,
    ::testing::Values(StatusCase{absl::NotFoundError("unknown policy \"pol\""), "POLICY_NOT_FOUND", 7, 403},
                      StatusCase{absl::UnavailableError("not loaded"), "REGISTRY_UNAVAILABLE", 14, 503},
                      StatusCase{absl::PermissionDeniedError("policy 'pol' admits only the callers it lists"),
                                 "CALLER_NOT_ALLOWED", 7, 403},
                      StatusCase{absl::InvalidArgumentError("x"), "INTERNAL_ERROR", 7, 403}));

TEST(DenialTest, PolicyMissing) {
  Denial d = PolicyMissingDenial("certguard_policy");
  EXPECT_EQ(d.reason, "POLICY_ID_MISSING");
  EXPECT_EQ(d.rpc_code, 7);
  EXPECT_EQ(d.http_status, 403);
  EXPECT_THAT(d.message, ::testing::HasSubstr("certguard_policy"));
}

v1::ValidateCertificateResponse Allow(bool with_identity) {
  v1::ValidateCertificateResponse decision;
  decision.set_decision(v1::ALLOW);
  decision.set_reason(with_identity ? v1::OK : v1::CERTIFICATE_ABSENT_ALLOWED);
  decision.set_policy_id("seed");
  decision.set_revision("0123456789abcdef");
  if (with_identity) {
    decision.mutable_identity()->set_subject("CN=app,O=Contoso");
    decision.mutable_identity()->set_issuer("CN=CA,O=Contoso");
    decision.mutable_identity()->set_sha256_thumbprint("AB12");
    decision.mutable_identity()->set_spiffe_id("spiffe://example.org/app");
  }
  return decision;
}

TEST(AllowTest, AddsIdentityHeadersAndRemovesForwardedOnes) {
  ExtractedRequest request;
  request.forwarded_headers_present = {"x-forwarded-client-cert", "x-arr-clientcert"};
  request.identity_headers_present = {"x-client-cert-subject"};  // overwritten, not removed
  CheckResponse response;
  BuildAllowed(Allow(true), request, ExtAuthzOptions{.cert_sources = AllCertSources()}, &response);
  EXPECT_EQ(response.status().code(), 0);
  ASSERT_TRUE(response.has_ok_response());
  EXPECT_EQ(HeaderMap(response.ok_response().headers()),
            (std::map<std::string, std::string>{{"x-client-cert-subject", "CN=app,O=Contoso"},
                                                {"x-client-cert-sha256", "AB12"},
                                                {"x-client-cert-issuer", "CN=CA,O=Contoso"},
                                                {"x-client-spiffe-id", "spiffe://example.org/app"},
                                                {"x-certguard-policy", "seed"},
                                                {"x-certguard-revision", "0123456789abcdef"},
                                                {"x-certguard-reason", "OK"}}));
  EXPECT_THAT(response.ok_response().headers_to_remove(), ElementsAre("x-forwarded-client-cert", "x-arr-clientcert"));
}

TEST(AllowTest, WithoutACertificateSpoofedIdentityHeadersAreRemoved) {
  ExtractedRequest request;
  request.identity_headers_present = {"x-client-cert-subject", "x-client-spiffe-id", "x-certguard-policy"};
  CheckResponse response;
  BuildAllowed(Allow(false), request, ExtAuthzOptions{.cert_sources = AllCertSources()}, &response);
  EXPECT_EQ(HeaderMap(response.ok_response().headers()),
            (std::map<std::string, std::string>{{"x-certguard-policy", "seed"},
                                                {"x-certguard-revision", "0123456789abcdef"},
                                                {"x-certguard-reason", "CERTIFICATE_ABSENT_ALLOWED"}}));
  EXPECT_THAT(response.ok_response().headers_to_remove(),
              UnorderedElementsAre("x-client-cert-subject", "x-client-spiffe-id"));
}

TEST(AllowTest, RemovalCanBeTurnedOffAndNamesConfigured) {
  ExtractedRequest request;
  request.forwarded_headers_present = {"x-forwarded-client-cert"};
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  options.remove_forwarded_headers = false;
  options.identity_headers = *IdentityHeaderNamesWithPrefix("x-mtls-");
  options.identity_headers.revision = "";  // not sent
  CheckResponse response;
  BuildAllowed(Allow(true), request, options, &response);
  auto headers = HeaderMap(response.ok_response().headers());
  EXPECT_EQ(headers.count("x-mtls-client-cert-subject"), 1u);
  EXPECT_EQ(headers.count("x-client-cert-subject"), 0u);
  EXPECT_EQ(headers.count("x-mtls-certguard-revision"), 0u);
  EXPECT_EQ(headers.size(), 6u);
  EXPECT_TRUE(response.ok_response().headers_to_remove().empty());
}

struct SafeCase {
  std::string in, out;
};

class SafeHeaderValueTest : public ::testing::TestWithParam<SafeCase> {};

TEST_P(SafeHeaderValueTest, ControlCharactersReplaced) { EXPECT_EQ(SafeHeaderValue(GetParam().in), GetParam().out); }

INSTANTIATE_TEST_SUITE_P(Table, SafeHeaderValueTest,
                         ::testing::Values(SafeCase{"CN=a,O=b", "CN=a,O=b"}, SafeCase{"a\r\nb", "a??b"},
                                           SafeCase{std::string("a\0b", 3), "a?b"}, SafeCase{"a\x7f", "a?"},
                                           SafeCase{"tab\tok", "tab\tok"}, SafeCase{"", ""}));

}  // namespace
}  // namespace certguard::ext_authz
