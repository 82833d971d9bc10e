// The identity rules, one compiler each (server/policy/rules/<name>_rule.cc), as a table: a
// condition in text-format IdentityMatcher, a leaf, and the check it must produce.
#include "server/policy/rules/identity_rules.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "google/protobuf/text_format.h"
#include "server/x509/certificate.h"
#include "tests/testing/cert_factory.h"

namespace certguard::policy {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::Shared;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;

struct Pki {
  TestCert root = CertFactory::SelfSigned({.cn = "Identity Root", .subject_extra = {{"O", "Contoso"}}, .is_ca = true});
  TestCert leaf = CertFactory::Issue({.cn = "orders",
                                      .subject_extra = {{"O", "Contoso"}, {"OU", "apps"}},
                                      .serial_hex = "0A1B2C",
                                      .eku = {"clientAuth"},
                                      .san_dns = {"orders.contoso.com"},
                                      .san_uri = {"spiffe://contoso.com/ns/prod/sa/orders"}},
                                     root);
};
const Pki& P() { return Shared<Pki>(); }

struct Row {
  const char* name;
  std::string matcher;  // text-format certguard.v1.IdentityMatcher
  const char* check;    // the one check it compiles to
  v1::Reason reason;    // REASON_UNSPECIFIED = passes
};

std::vector<Row> Rows() {
  const x509::CertificatePtr leaf_cert = x509::Certificate::FromDer(P().leaf.der()).value();
  const x509::CertificatePtr root_cert = x509::Certificate::FromDer(P().root.der()).value();
  const x509::CertificateInfo& leaf = leaf_cert->info();
  const x509::CertificateInfo& root = root_cert->info();
  const std::string other(64, 'a');
  return {
      {"thumbprint sha256", "thumbprints: '" + leaf.sha256_hex + "'", "thumbprint", v1::REASON_UNSPECIFIED},
      {"thumbprint sha1", "thumbprints: '" + leaf.sha1_hex + "'", "thumbprint", v1::REASON_UNSPECIFIED},
      {"thumbprint other", "thumbprints: '" + other + "'", "thumbprint", v1::THUMBPRINT_NOT_ALLOWED},
      {"certificate_sha256", "certificate_sha256: '" + leaf.sha256_hex + "'", "certificate_sha256",
       v1::REASON_UNSPECIFIED},
      {"certificate_sha256 other", "certificate_sha256: '" + other + "'", "certificate_sha256",
       v1::THUMBPRINT_NOT_ALLOWED},
      {"subject cn", "subject { cn: 'orders' }", "subject", v1::REASON_UNSPECIFIED},
      {"subject cn other", "subject { cn: 'billing' }", "subject", v1::SUBJECT_MISMATCH},
      {"issuer o", "issuer { o: 'Contoso' }", "issuer", v1::REASON_UNSPECIFIED},
      {"issuer o other", "issuer { o: 'Fabrikam' }", "issuer", v1::ISSUER_MISMATCH},
      {"issuer thumbprint", "issuer_thumbprints: '" + root.sha256_hex + "'", "issuer_thumbprint",
       v1::REASON_UNSPECIFIED},
      {"issuer thumbprint other", "issuer_thumbprints: '" + other + "'", "issuer_thumbprint", v1::ISSUER_MISMATCH},
      {"san dns", "san { type: DNS exact: 'orders.contoso.com' }", "san", v1::REASON_UNSPECIFIED},
      {"san dns other", "san { type: DNS exact: 'billing.contoso.com' }", "san", v1::SAN_MISMATCH},
      {"spki", "spki_sha256: '" + leaf.spki_sha256_base64 + "'", "spki_pin", v1::REASON_UNSPECIFIED},
      {"spki other", "spki_sha256: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", "spki_pin", v1::SPKI_PIN_MISMATCH},
      {"serial", "serial_numbers: '0a:1b:2c'", "serial", v1::REASON_UNSPECIFIED},
      {"serial other", "serial_numbers: '0A1B2D'", "serial", v1::SERIAL_NOT_ALLOWED},
      {"spiffe id", "spiffe_ids: 'spiffe://contoso.com/ns/*/sa/orders'", "spiffe_id", v1::REASON_UNSPECIFIED},
      {"spiffe id other", "spiffe_ids: 'spiffe://contoso.com/ns/*/sa/billing'", "spiffe_id", v1::SPIFFE_ID_MISMATCH},
  };
}

TEST(IdentityRulesTest, EachConditionIsOneRuleWithItsCheckAndReason) {
  auto leaf = x509::Certificate::FromDer(P().leaf.der());
  auto root = x509::Certificate::FromDer(P().root.der());
  ASSERT_TRUE(leaf.ok() && root.ok());
  const std::vector<x509::CertificatePtr> path = {*leaf, *root};
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.name);
    v1::IdentityMatcher matcher;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(row.matcher, &matcher)) << row.matcher;
    absl::StatusOr<RuleList> rules = CompileIdentityMatcher(matcher);
    ASSERT_TRUE(rules.ok()) << rules.status();
    ASSERT_EQ(rules->size(), 1u);
    const Rule& rule = *(*rules)[0];
    EXPECT_EQ(rule.name(), row.check);
    const RuleResult result = rule.Check(RuleContext{**leaf, path, path, TestNow()});
    EXPECT_EQ(result.passed, row.reason == v1::REASON_UNSPECIFIED) << result.detail;
    if (!result.passed) {
      EXPECT_EQ(result.reason, row.reason);
    }
  }
}

TEST(IdentityRulesTest, AnEmptyMatcherCompilesToNoRuleAndBadPinsNameTheirField) {
  absl::StatusOr<RuleList> none = CompileIdentityMatcher(v1::IdentityMatcher());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  const std::pair<const char*, const char*> bad[] = {
      {"thumbprints: 'xyz'", "thumbprints"},    {"issuer_thumbprints: '12'", "issuer_thumbprints"},
      {"spki_sha256: 'short'", "spki_sha256"},  {"serial_numbers: 'not hex'", "serial_numbers"},
      {"spiffe_ids: 'http://x'", "spiffe_ids"}, {"san { type: DNS }", "san[0]"},
  };
  for (const auto& [text, field] : bad) {
    v1::IdentityMatcher matcher;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &matcher)) << text;
    absl::StatusOr<RuleList> rules = CompileIdentityMatcher(matcher);
    ASSERT_FALSE(rules.ok()) << text;
    EXPECT_EQ(rules.status().message().substr(0, std::string(field).size()), field) << rules.status();
  }
}

TEST(IdentityRulesTest, TheIssuerThumbprintNeedsAVerifiedPath) {
  v1::IdentityMatcher matcher;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString("issuer_thumbprints: '" + std::string(64, 'a') + "'", &matcher));
  absl::StatusOr<RuleList> rules = CompileIdentityMatcher(matcher);
  ASSERT_TRUE(rules.ok());
  auto leaf = x509::Certificate::FromDer(P().leaf.der());
  ASSERT_TRUE(leaf.ok());
  const std::vector<x509::CertificatePtr> presented = {*leaf};
  const RuleResult result = (*rules)[0]->Check(RuleContext{**leaf, presented, {}, TestNow()});
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.reason, v1::ISSUER_MISMATCH);
}

}  // namespace
}  // namespace certguard::policy
