// End-to-end decisions of the evaluator: YAML policy -> compiled registry -> header -> response.
// Every policy rule has a passing and a failing case here; times are fixed (TestNow()).
#include "server/core/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::core {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::KeySpec;
using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::certguard::testing::TestPki;

struct Pki {
  TestPki main = ::certguard::testing::MakePki(KeySpec::Ec(), "client.example.com");
  TestCert other_root = CertFactory::SelfSigned({.cn = "Other Root", .is_ca = true});
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

// A leaf issued by the main intermediate with `spec` tweaks.
TestCert Leaf(CertSpec spec) {
  if (spec.eku.empty()) spec.eku = {"clientAuth"};
  return CertFactory::Issue(spec, P().main.intermediate);
}

class EvaluatorTest : public ::testing::Test {
 protected:
  // Loads one policy "p" whose YAML body is `body` (indented under the policy), with the main
  // root as anchor file and the intermediate as intermediate file unless overridden.
  policy::RegistryPtr Policy(const std::string& body, bool with_trust = true) {
    RegistryBuilder b;
    b.File("root.pem", P().main.root.pem()).File("intermediate.pem", P().main.intermediate.pem());
    std::string yaml = "id: p\n";
    if (with_trust) {
      yaml += "trust:\n  anchor_files: [root.pem]\n  intermediate_files: [intermediate.pem]\n";
    }
    yaml += body;
    b.Policy("p.yaml", yaml);
    registry_ = b.LoadOk();
    return registry_;
  }

  v1::ValidateCertificateResponse Eval(const std::string& header, absl::string_view path = "",
                                       std::optional<bool> https = std::nullopt, absl::Time now = TestNow(),
                                       const std::string& name = "") {
    EXPECT_NE(registry_, nullptr);
    v1::ValidateCertificateResponse response;
    if (registry_ == nullptr) return response;
    EvaluationInput input;
    if (!header.empty() || !name.empty()) input.headers.push_back({name, header});
    input.path = path;
    input.is_https = https;
    absl::Status s = EvaluateInRegistry(registry_.get(), "p", input, now, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

  static void ExpectAllow(const v1::ValidateCertificateResponse& r, v1::Reason reason = v1::OK) {
    EXPECT_EQ(r.decision(), v1::ALLOW) << r.DebugString();
    EXPECT_EQ(r.reason(), reason) << r.DebugString();
  }
  static void ExpectDeny(const v1::ValidateCertificateResponse& r, v1::Reason reason) {
    EXPECT_EQ(r.decision(), v1::DENY) << r.DebugString();
    EXPECT_EQ(r.reason(), reason) << r.DebugString();
  }

  policy::RegistryPtr registry_;
};

TEST_F(EvaluatorTest, AllowsChainedLeafAndReportsIdentity) {
  Policy("");
  const TestCert& leaf = P().main.leaf;
  auto r = Eval(leaf.base64_der(), "", std::nullopt, TestNow(), "X-ARR-ClientCert");
  ExpectAllow(r);
  EXPECT_EQ(r.policy_id(), "p");
  EXPECT_EQ(r.revision(), registry_->revision());
  EXPECT_EQ(r.format(), v1::BASE64_DER);
  EXPECT_EQ(r.identity().subject_cn(), "client.example.com");
  EXPECT_EQ(r.identity().sha256_thumbprint(), leaf.sha256_hex());
  EXPECT_EQ(r.identity().sha1_thumbprint(), leaf.sha1_hex());
  EXPECT_EQ(r.identity().serial_hex(), leaf.serial_hex());
  EXPECT_EQ(r.identity().chain_length(), 3);
  EXPECT_EQ(r.identity().key_algorithm(), "EC");
  EXPECT_FALSE(r.identity().sans().dns().empty());
  // Every check that ran passed and is listed.
  ASSERT_GT(r.checks_size(), 4);
  for (const auto& c : r.checks()) EXPECT_TRUE(c.passed()) << c.name();
}

TEST_F(EvaluatorTest, PemBodyAndFullPemFormats) {
  Policy("");
  ExpectAllow(Eval(P().main.leaf.pem_body()));
  ExpectAllow(Eval(P().main.leaf.pem()));
  ExpectAllow(Eval(P().main.leaf.pem() + P().main.intermediate.pem()));
}

TEST_F(EvaluatorTest, MalformedHeaderIsDenied) {
  Policy("");
  ExpectDeny(Eval("this is not a certificate!"), v1::MALFORMED_HEADER);
  ExpectDeny(Eval("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), v1::MALFORMED_HEADER);
}

TEST_F(EvaluatorTest, OversizedHeaderIsRefusedBeforeDecoding) {
  Policy("");
  ExpectDeny(Eval(std::string(70 * 1024, 'A')), v1::HEADER_TOO_LARGE);
  Policy("headers:\n  max_header_bytes: 100\n");
  ExpectDeny(Eval(P().main.leaf.base64_der()), v1::HEADER_TOO_LARGE);
}

TEST_F(EvaluatorTest, CertificateMode) {
  Policy("client_certificate_mode: REQUIRED\n");
  ExpectDeny(Eval(""), v1::CERTIFICATE_MISSING);
  ExpectDeny(Eval("   "), v1::CERTIFICATE_MISSING);

  for (const char* mode : {"OPTIONAL", "OPTIONAL_INTERACTIVE_USER"}) {
    Policy(absl::StrCat("client_certificate_mode: ", mode, "\n"));
    auto r = Eval("");
    ExpectAllow(r, v1::CERTIFICATE_ABSENT_ALLOWED);
    EXPECT_FALSE(r.has_identity());
    // A certificate that is present is still validated in full.
    ExpectDeny(Eval(P().other_root.base64_der()), v1::SELF_SIGNED_NOT_ALLOWED);
    ExpectAllow(Eval(P().main.leaf.base64_der()));
  }
}

TEST_F(EvaluatorTest, ExclusionPaths) {
  Policy("exclusion_paths: \"/health, /Public;/metrics\"\n");
  ExpectAllow(Eval("", "/health"), v1::PATH_EXCLUDED);
  ExpectAllow(Eval("", "/HEALTH/live?x=1"), v1::PATH_EXCLUDED);
  ExpectAllow(Eval("garbage", "/public/index.html"), v1::PATH_EXCLUDED);
  ExpectAllow(Eval("", "/metrics"), v1::PATH_EXCLUDED);
  ExpectDeny(Eval("", "/api"), v1::CERTIFICATE_MISSING);
  // Traversal and encoded tricks never match an exclusion.
  ExpectDeny(Eval("", "/health/../api"), v1::CERTIFICATE_MISSING);
  ExpectDeny(Eval("", "/health/%2e%2e/api"), v1::CERTIFICATE_MISSING);
  ExpectDeny(Eval("", "/public\\..\\api"), v1::CERTIFICATE_MISSING);
  Policy("exclusion_paths: [/a, /b]\n");
  ExpectAllow(Eval("", "/b/c"), v1::PATH_EXCLUDED);
}

TEST_F(EvaluatorTest, RequireHttps) {
  Policy("");
  ExpectDeny(Eval(P().main.leaf.base64_der(), "", false), v1::HTTPS_REQUIRED);
  ExpectAllow(Eval(P().main.leaf.base64_der(), "", true));
  Policy("require_https: false\n");
  ExpectAllow(Eval(P().main.leaf.base64_der(), "", false));
}

TEST_F(EvaluatorTest, ChainTrust) {
  Policy("");
  TestCert foreign = CertFactory::Issue({.cn = "foreign", .eku = {"clientAuth"}}, P().other_root);
  ExpectDeny(Eval(foreign.base64_der()), v1::UNTRUSTED_CHAIN);
  // Without the configured intermediate the leaf alone cannot chain...
  Policy("trust:\n  anchor_files: [root.pem]\n", /*with_trust=*/false);
  ExpectDeny(Eval(P().main.leaf.base64_der()), v1::UNTRUSTED_CHAIN);
  // ...but an intermediate forwarded with it is used as untrusted path material.
  ExpectAllow(Eval(P().main.leaf.pem() + P().main.intermediate.pem()));
  // A forwarded "root" is never an anchor.
  ExpectDeny(Eval(foreign.pem() + P().other_root.pem()), v1::UNTRUSTED_CHAIN);
}

TEST_F(EvaluatorTest, InlineAnchorsPem) {
  RegistryBuilder b;
  std::string indented = absl::StrReplaceAll(P().main.root.pem(), {{"\n", "\n      "}});
  b.Policy("p.yaml", absl::StrCat("id: p\ntrust:\n  anchors_pem:\n    - |\n      ", indented,
                                  "\n  intermediates_pem:\n    - |\n      ",
                                  absl::StrReplaceAll(P().main.intermediate.pem(), {{"\n", "\n      "}}), "\n"));
  registry_ = b.LoadOk();
  ExpectAllow(Eval(P().main.leaf.base64_der()));
}

TEST_F(EvaluatorTest, CertificateTypes) {
  TestCert self = CertFactory::SelfSigned({.cn = "self", .eku = {"clientAuth"}});
  TestCert other_self = CertFactory::SelfSigned({.cn = "self2", .eku = {"clientAuth"}});
  Policy("");  // CHAINED by default
  ExpectDeny(Eval(self.base64_der()), v1::SELF_SIGNED_NOT_ALLOWED);

  RegistryBuilder b;
  b.File("self.pem", self.pem())
      .File("root.pem", P().main.root.pem())
      .File("intermediate.pem", P().main.intermediate.pem())
      .Policy("p.yaml",
              "policies:\n"
              "- id: p\n  trust: {anchor_files: [self.pem], allowed_certificate_types: SELF_SIGNED}\n"
              "- id: all\n  trust: {anchor_files: [self.pem, root.pem], intermediate_files: [intermediate.pem],"
              " allowed_certificate_types: ALL}\n");
  registry_ = b.LoadOk();
  ExpectAllow(Eval(self.base64_der()));
  ExpectDeny(Eval(other_self.base64_der()), v1::UNTRUSTED_CHAIN);
  ExpectDeny(Eval(P().main.leaf.base64_der()), v1::CHAINED_NOT_ALLOWED);
  v1::ValidateCertificateResponse r;
  EvaluationInput in;
  std::string self_b64 = self.base64_der(), leaf_b64 = P().main.leaf.base64_der();
  in.headers = {{"", self_b64}};
  ASSERT_TRUE(EvaluateInRegistry(registry_.get(), "all", in, TestNow(), &r).ok());
  ExpectAllow(r);
  r.Clear();
  in.headers = {{"", leaf_b64}};
  ASSERT_TRUE(EvaluateInRegistry(registry_.get(), "all", in, TestNow(), &r).ok());
  ExpectAllow(r);
}

TEST_F(EvaluatorTest, SelfSignedPinnedWithoutAnchors) {
  TestCert self = CertFactory::SelfSigned({.cn = "self", .eku = {"clientAuth"}});
  TestCert other = CertFactory::SelfSigned({.cn = "self", .eku = {"clientAuth"}});
  Policy(absl::StrCat("trust: {allowed_certificate_types: SELF_SIGNED}\nidentity:\n  thumbprints: [\"", self.sha1_hex(),
                      "\"]\n"),
         /*with_trust=*/false);
  ExpectAllow(Eval(self.base64_der()));
  ExpectDeny(Eval(other.base64_der()), v1::THUMBPRINT_NOT_ALLOWED);
}

TEST_F(EvaluatorTest, ChainDepth) {
  Policy("trust:\n  anchor_files: [root.pem]\n  intermediate_files: [intermediate.pem]\n  max_chain_depth: 2\n",
         /*with_trust=*/false);
  ExpectDeny(Eval(P().main.leaf.base64_der()), v1::CHAIN_TOO_LONG);
  Policy("trust:\n  anchor_files: [root.pem]\n  intermediate_files: [intermediate.pem]\n  max_chain_depth: 3\n",
         /*with_trust=*/false);
  ExpectAllow(Eval(P().main.leaf.base64_der()));
}

TEST_F(EvaluatorTest, ValidityPeriodAndClockSkew) {
  const absl::Time now = TestNow();
  TestCert expired =
      Leaf({.cn = "expired", .not_before = now - absl::Hours(48), .not_after = now - absl::Seconds(100)});
  TestCert future = Leaf({.cn = "future", .not_before = now + absl::Seconds(100), .not_after = now + absl::Hours(48)});
  Policy("");
  ExpectDeny(Eval(expired.base64_der()), v1::EXPIRED);
  ExpectDeny(Eval(future.base64_der()), v1::NOT_YET_VALID);
  Policy("validity: {clock_skew_seconds: 300}\n");
  ExpectAllow(Eval(expired.base64_der()));
  ExpectAllow(Eval(future.base64_der()));
  Policy("validity: {clock_skew_seconds: 60}\n");
  ExpectDeny(Eval(expired.base64_der()), v1::EXPIRED);
  Policy("validity: {check: false}\n");
  ExpectAllow(Eval(expired.base64_der()));
}

TEST_F(EvaluatorTest, ExtendedKeyUsage) {
  TestCert server_only = Leaf({.cn = "srv", .eku = {"serverAuth"}});
  TestCert no_eku = CertFactory::Issue({.cn = "noeku"}, P().main.intermediate);
  Policy("");
  ExpectDeny(Eval(server_only.base64_der()), v1::EKU_MISMATCH);
  ExpectDeny(Eval(no_eku.base64_der()), v1::EKU_MISMATCH);
  Policy("extended_key_usage: {check: false}\n");
  ExpectAllow(Eval(server_only.base64_der()));
  Policy("extended_key_usage: {allowed: [serverAuth, 1.3.6.1.5.5.7.3.2]}\n");
  ExpectAllow(Eval(server_only.base64_der()));
  ExpectAllow(Eval(P().main.leaf.base64_der()));
  Policy("extended_key_usage: {allow_missing: true}\n");
  ExpectAllow(Eval(no_eku.base64_der()));
}

TEST_F(EvaluatorTest, KeyUsage) {
  Policy("key_usage: {required: [digitalSignature]}\n");
  ExpectAllow(Eval(P().main.leaf.base64_der()));
  Policy("key_usage: {required: [digitalSignature, keyEncipherment]}\n");
  ExpectDeny(Eval(P().main.leaf.base64_der()), v1::KEY_USAGE_MISMATCH);
}

TEST_F(EvaluatorTest, CaCertificateAsLeafIsRefused) {
  TestCert ca_leaf = Leaf({.cn = "ca-leaf", .is_ca = true, .eku = {"clientAuth"}});
  Policy("");
  ExpectDeny(Eval(ca_leaf.base64_der()), v1::LEAF_IS_CA);
}

TEST_F(EvaluatorTest, RsaKeysAndSignatureAlgorithms) {
  TestCert rsa = Leaf({.cn = "rsa", .key = KeySpec::Rsa(2048)});
  TestCert small = Leaf({.cn = "small", .key = KeySpec::Rsa(1024)});
  TestCert sha1 = Leaf({.cn = "sha1", .digest = "sha1"});
  Policy("");
  auto r = Eval(rsa.base64_der());
  ExpectAllow(r);
  EXPECT_EQ(r.identity().key_algorithm(), "RSA");
  EXPECT_EQ(r.identity().key_bits(), 2048);
  ExpectDeny(Eval(small.base64_der()), v1::KEY_TOO_SMALL);
  ExpectDeny(Eval(sha1.base64_der()), v1::SIGNATURE_ALGORITHM_NOT_ALLOWED);
  Policy("key_rules: {min_rsa_bits: 1024, allowed_signature_algorithms: [sha1, sha256]}\n");
  ExpectAllow(Eval(small.base64_der()));
  ExpectAllow(Eval(sha1.base64_der()));
  Policy("key_rules: {max_rsa_bits: 1024, min_rsa_bits: 1024}\n");
  ExpectDeny(Eval(rsa.base64_der()), v1::KEY_TOO_LARGE);
  Policy("key_rules: {allowed_curves: [secp384r1]}\n");
  ExpectDeny(Eval(P().main.leaf.base64_der()), v1::CURVE_NOT_ALLOWED);
  TestCert ed = Leaf({.cn = "ed", .key = KeySpec::Ed25519()});
  Policy("");
  ExpectAllow(Eval(ed.base64_der()));
  Policy("key_rules: {allowed_key_algorithms: [RSA, EC]}\n");
  ExpectDeny(Eval(ed.base64_der()), v1::KEY_ALGORITHM_NOT_ALLOWED);
}

TEST_F(EvaluatorTest, ThumbprintPins) {
  const TestCert& leaf = P().main.leaf;
  std::string sha1_colons;
  for (size_t i = 0; i < leaf.sha1_hex().size(); i += 2) {
    absl::StrAppend(&sha1_colons, i ? ":" : "", absl::AsciiStrToLower(leaf.sha1_hex().substr(i, 2)));
  }
  Policy(absl::StrCat("identity: {thumbprints: [\"", sha1_colons, "\"]}\n"));
  ExpectAllow(Eval(leaf.base64_der()));
  Policy(absl::StrCat("identity: {thumbprints: [", leaf.sha256_hex(), "]}\n"));
  ExpectAllow(Eval(leaf.base64_der()));
  Policy(absl::StrCat("identity: {thumbprints: [", std::string(40, 'A'), "]}\n"));
  ExpectDeny(Eval(leaf.base64_der()), v1::THUMBPRINT_NOT_ALLOWED);
  Policy(absl::StrCat("identity: {certificate_sha256: [", leaf.sha256_hex(), "]}\n"));
  ExpectAllow(Eval(leaf.base64_der()));
}

TEST_F(EvaluatorTest, SubjectAndIssuerMatching) {
  TestCert leaf = Leaf({.cn = "svc", .subject_extra = {{"O", "Contoso"}, {"OU", "Payments"}}});
  Policy("identity:\n  subject: {cn: [svc], o: [Contoso], ou: [Payments]}\n");
  ExpectAllow(Eval(leaf.base64_der()));
  Policy("identity:\n  subject: {cn: [other]}\n");
  ExpectDeny(Eval(leaf.base64_der()), v1::SUBJECT_MISMATCH);
  Policy("identity:\n  subject: {ou: [Sales]}\n");
  ExpectDeny(Eval(leaf.base64_der()), v1::SUBJECT_MISMATCH);
  Policy("identity:\n  subject: {dn: [\"O=Contoso\", \"CN=svc,OU=Payments,O=Contoso\"]}\n");
  auto r = Eval(leaf.base64_der());
  ExpectAllow(r);

  Policy(absl::StrCat("identity:\n  issuer: {cn: [\"", r.identity().issuer_cn(), "\"]}\n"));
  ExpectAllow(Eval(leaf.base64_der()));
  Policy("identity:\n  issuer: {cn: [\"Somebody Else\"]}\n");
  ExpectDeny(Eval(leaf.base64_der()), v1::ISSUER_MISMATCH);
  Policy(absl::StrCat("identity:\n  issuer_thumbprints: [", P().main.intermediate.sha256_hex(), "]\n"));
  ExpectAllow(Eval(leaf.base64_der()));
  Policy(absl::StrCat("identity:\n  issuer_thumbprints: [", P().main.root.sha256_hex(), "]\n"));
  ExpectDeny(Eval(leaf.base64_der()), v1::ISSUER_MISMATCH);
}

TEST_F(EvaluatorTest, SubjectAlternativeNames) {
  // The main leaf has DNS client.example.com and URI spiffe://example.com/ns/default/sa/client.
  const std::string leaf = P().main.leaf.base64_der();
  Policy("identity:\n  san: [{type: DNS, wildcard: \"*.example.com\"}]\n");
  ExpectAllow(Eval(leaf));
  Policy("identity:\n  san: [{type: DNS, wildcard: \"*.other.com\"}, {type: DNS, exact: CLIENT.example.com}]\n");
  ExpectAllow(Eval(leaf));  // any-of within the rule
  Policy("identity:\n  san: [{type: DNS, suffix: .example.org}]\n");
  ExpectDeny(Eval(leaf), v1::SAN_MISMATCH);
  Policy("identity:\n  san: [{type: URI, glob: \"spiffe://example.com/ns/*/sa/client\"}]\n");
  ExpectAllow(Eval(leaf));
  Policy("identity:\n  san: [{type: URI, glob: \"spiffe://example.com/ns/*/sa/server\"}]\n");
  ExpectDeny(Eval(leaf), v1::SAN_MISMATCH);
  Policy("identity:\n  san: [{type: EMAIL, exact: a@example.com}]\n");
  ExpectDeny(Eval(leaf), v1::SAN_MISMATCH);
}

TEST_F(EvaluatorTest, SpiffeSvidRules) {
  const std::string leaf = P().main.leaf.base64_der();
  auto r = [&] { return Eval(leaf); };
  Policy("spiffe: {trust_domains: [example.com], path_patterns: [\"/ns/*/sa/*\"]}\n");
  ExpectAllow(r());
  EXPECT_EQ(r().identity().spiffe_id(), "spiffe://example.com/ns/default/sa/client");
  Policy("spiffe: {trust_domains: [other.org]}\n");
  ExpectDeny(r(), v1::SPIFFE_ID_MISMATCH);
  Policy("spiffe: {trust_domains: [example.com], path_patterns: [\"/ns/prod/**\"]}\n");
  ExpectDeny(r(), v1::SPIFFE_ID_MISMATCH);
  // X.509-SVID rules: exactly one URI SAN, not a CA.
  TestCert two_uris = Leaf({.cn = "two", .san_uri = {"spiffe://example.com/a", "spiffe://example.com/b"}});
  TestCert no_uri = Leaf({.cn = "none"});
  Policy("spiffe: {trust_domains: [example.com]}\n");
  ExpectDeny(Eval(two_uris.base64_der()), v1::SPIFFE_SVID_INVALID);
  ExpectDeny(Eval(no_uri.base64_der()), v1::SPIFFE_SVID_INVALID);
  Policy("identity: {spiffe_ids: [\"spiffe://example.com/ns/default/**\"]}\n");
  ExpectAllow(r());
  Policy("identity: {spiffe_ids: [\"spiffe://example.com/ns/prod/**\"]}\n");
  ExpectDeny(r(), v1::SPIFFE_ID_MISMATCH);
}

TEST_F(EvaluatorTest, SpkiPinsSurviveRenewalWithTheSameKey) {
  Policy("");
  const std::string spki = Eval(P().main.leaf.base64_der()).identity().spki_sha256();
  ASSERT_EQ(spki.size(), 44u);
  Policy(absl::StrCat("identity: {spki_sha256: [\"", spki, "\"]}\n"));
  ExpectAllow(Eval(P().main.leaf.base64_der()));
  TestCert other = Leaf({.cn = "other-key"});
  ExpectDeny(Eval(other.base64_der()), v1::SPKI_PIN_MISMATCH);
}

TEST_F(EvaluatorTest, SerialNumberAllowlist) {
  TestCert leaf = Leaf({.cn = "serial", .serial_hex = "00ABCDEF01"});
  Policy("identity: {serial_numbers: [\"ab:cd:ef:01\"]}\n");
  ExpectAllow(Eval(leaf.base64_der()));
  Policy("identity: {serial_numbers: [\"ABCDEF02\"]}\n");
  ExpectDeny(Eval(leaf.base64_der()), v1::SERIAL_NOT_ALLOWED);
}

TEST_F(EvaluatorTest, IdentityAlternativesAreOrOfAnds) {
  TestCert billing = Leaf({.cn = "billing", .subject_extra = {{"O", "Contoso"}}});
  TestCert ops = Leaf({.cn = "ops", .subject_extra = {{"O", "Fabrikam"}}});
  TestCert mallory = Leaf({.cn = "billing", .subject_extra = {{"O", "Mallory"}}});
  Policy(
      absl::StrCat("identities:\n"
                   "  - {name: billing, subject: {cn: [billing], o: [Contoso]}}\n"
                   "  - {name: ops, thumbprints: [",
                   ops.sha256_hex(), "]}\n"));
  ExpectAllow(Eval(billing.base64_der()));
  ExpectAllow(Eval(ops.base64_der()));
  auto r = Eval(mallory.base64_der());  // CN matches the first, O does not: AND within
  ExpectDeny(r, v1::IDENTITY_MISMATCH);
  EXPECT_THAT(r.message(), ::testing::HasSubstr("billing: O"));
}

TEST_F(EvaluatorTest, AllRulesMustHoldAndTheFirstFailureIsTheReason) {
  TestCert server_only = Leaf({.cn = "srv", .eku = {"serverAuth"}});
  Policy("identity:\n  subject: {cn: [nobody]}\n");
  auto r = Eval(server_only.base64_der());
  ExpectDeny(r, v1::EKU_MISMATCH);
  int failed = 0;
  for (const auto& c : r.checks()) failed += !c.passed();
  EXPECT_EQ(failed, 2) << r.DebugString();
}

TEST_F(EvaluatorTest, RegistryLevelErrors) {
  Policy("");
  EvaluationInput in;
  v1::ValidateCertificateResponse r;
  EXPECT_EQ(EvaluateInRegistry(registry_.get(), "", in, TestNow(), &r).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EvaluateInRegistry(registry_.get(), "nope", in, TestNow(), &r).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(EvaluateInRegistry(nullptr, "p", in, TestNow(), &r).code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace certguard::core
