// Identity rules on names that are not what they look like, from YAML policy to response (the
// cases that used to be ALLOWed): a SPIFFE ID or URI that does not parse matches no pattern,
// and the response never shows it as the client's SPIFFE ID.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/core/evaluator.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::core {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::testing::HasSubstr;

const TestCert& Root() {
  static const TestCert* const root = new TestCert(CertFactory::SelfSigned({.cn = "Names Root", .is_ca = true}));
  return *root;
}

v1::ValidateCertificateResponse Decide(const std::string& policy_body, const std::string& uri_san) {
  const TestCert leaf = CertFactory::Issue({.cn = "names-client", .eku = {"clientAuth"}, .san_uri = {uri_san}}, Root());
  RegistryBuilder rb;
  rb.File("root.pem", Root().pem());
  rb.Policy("p.yaml", absl::StrCat("id: p\ntrust: {anchor_files: [root.pem]}\n", policy_body));
  policy::RegistryPtr registry = rb.LoadOk();
  v1::ValidateCertificateResponse response;
  if (registry == nullptr) return response;
  const std::string header = leaf.base64_der();
  EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", header});
  EXPECT_TRUE(EvaluateInRegistry(registry.get(), "p", input, TestNow(), &response).ok());
  return response;
}

struct Row {
  const char* policy;
  const char* uri;
  v1::Reason reason;
};

TEST(NameRulesTest, NamesThatDoNotParseMatchNothing) {
  const char* kSpiffeIds = "identity: {spiffe_ids: [\"spiffe://td/ns/payments/**\"]}\n";
  const char* kUriGlob = "identity: {san: [{type: URI, glob: \"spiffe://td/ns/*/sa/payments\"}]}\n";
  const char* kSvid = "spiffe: {trust_domains: [td], path_patterns: [\"/ns/*/sa/*\"]}\n";
  const Row rows[] = {
      {kSpiffeIds, "spiffe://td/ns/payments/api", v1::OK},
      {kSpiffeIds, "spiffe://td/ns/payments/../admin", v1::SPIFFE_ID_MISMATCH},
      {kSpiffeIds, "spiffe://td/ns/payments/%2e%2e/admin", v1::SPIFFE_ID_MISMATCH},
      {kSpiffeIds, "spiffe://td/ns/payments/", v1::SPIFFE_ID_MISMATCH},
      {kSpiffeIds, "spiffe://TD/ns/payments/api", v1::SPIFFE_ID_MISMATCH},
      {kUriGlob, "spiffe://td/ns/prod/sa/payments", v1::OK},
      {kUriGlob, "spiffe://td/ns/../sa/payments", v1::SAN_MISMATCH},
      {kUriGlob, "spiffe://td/ns//sa/payments", v1::SAN_MISMATCH},
      {kUriGlob, "spiffe://td/ns/a/sa/payments#x", v1::SAN_MISMATCH},
      {kSvid, "spiffe://td/ns/prod/sa/web", v1::OK},
      {kSvid, "spiffe://td/ns/%2e%2e/sa/web", v1::SPIFFE_SVID_INVALID},
      {kSvid, "spiffe://td/ns/prod/sa/web/", v1::SPIFFE_SVID_INVALID},
      {kSvid, "spiffe://td:443/ns/prod/sa/web", v1::SPIFFE_SVID_INVALID},
  };
  for (const Row& row : rows) {
    const v1::ValidateCertificateResponse r = Decide(row.policy, row.uri);
    EXPECT_EQ(r.reason(), row.reason) << row.uri << "\n" << r.DebugString();
    EXPECT_EQ(r.decision(), row.reason == v1::OK ? v1::ALLOW : v1::DENY) << row.uri;
    if (row.reason != v1::OK) {
      EXPECT_THAT(r.message(), HasSubstr("not")) << r.message();  // says why
      EXPECT_EQ(r.identity().spiffe_id(), "") << "an invalid SPIFFE ID is never shown as the identity";
    } else {
      EXPECT_EQ(r.identity().spiffe_id(), row.uri);
    }
  }
}

TEST(NameRulesTest, DetailSaysWhyTheNameDidNotParse) {
  const v1::ValidateCertificateResponse r =
      Decide("identity: {spiffe_ids: [\"spiffe://td/**\"]}\n", "spiffe://td/a/../b");
  EXPECT_THAT(r.message(), HasSubstr("is not a valid SPIFFE ID: the path must not have '.' or '..' segments"));
  const v1::ValidateCertificateResponse san =
      Decide("identity: {san: [{type: URI, glob: \"https://example.com/**\"}]}\n", "https://example.com/a/%2e%2e/b");
  EXPECT_THAT(san.message(), HasSubstr("is not a URI in normal form"));
}

}  // namespace
}  // namespace certguard::core
