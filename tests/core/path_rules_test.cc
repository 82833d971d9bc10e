// Decisions that depend on the whole verified path (RFC 5280 §6.1 and the trust anchor's
// contribution), from YAML policy to response: extended key usage of every CA, certificate
// policies with the policy's user-initial inputs, and trust.enforce_anchor_*.
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/core/evaluator.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::core {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kPiv[] = "2.16.840.1.101.3.2.1.3.13";
constexpr char kOrg[] = "1.3.6.1.4.1.55555.1.2";

using Extensions = std::vector<std::pair<std::string, std::string>>;

// root (root_spec) -> "Path Intermediate" (inter_eku, inter_ext) -> leaf (leaf_eku, leaf_ext).
struct Hierarchy {
  CertSpec root_spec = {.cn = "Path Root", .is_ca = true};
  std::vector<std::string> inter_eku;
  Extensions inter_ext;
  std::vector<std::string> leaf_eku = {"clientAuth"};
  Extensions leaf_ext;

  struct Built {
    TestCert root, inter, leaf;
  };
  Built Build() const {
    Built b;
    b.root = CertFactory::SelfSigned(root_spec);
    CertSpec i{.cn = "Path Intermediate", .is_ca = true};
    i.eku = inter_eku;
    i.extensions = inter_ext;
    b.inter = CertFactory::Issue(i, b.root);
    CertSpec l{.cn = "path-client.example.com"};
    l.eku = leaf_eku;
    l.extensions = leaf_ext;
    b.leaf = CertFactory::Issue(l, b.inter);
    return b;
  }
};

// Decides `h`'s leaf (with its intermediate, as PEM) under a policy whose YAML `body` follows
// the trust section.
v1::ValidateCertificateResponse Decide(const Hierarchy& h, const std::string& body,
                                       const std::string& trust_extra = "") {
  const Hierarchy::Built b = h.Build();
  RegistryBuilder rb;
  rb.File("root.pem", b.root.pem());
  rb.Policy("p.yaml", absl::StrCat("id: p\ntrust:\n  anchor_files: [root.pem]\n", trust_extra, body));
  policy::RegistryPtr registry = rb.LoadOk();
  v1::ValidateCertificateResponse response;
  if (registry == nullptr) return response;
  const std::string header = b.leaf.pem() + b.inter.pem();  // the input holds views
  EvaluationInput input;
  input.headers.push_back({"", header});
  absl::Status s = EvaluateInRegistry(registry.get(), "p", input, TestNow(), &response);
  EXPECT_TRUE(s.ok()) << s;
  return response;
}

const v1::Check* FindCheck(const v1::ValidateCertificateResponse& r, const std::string& name) {
  for (const v1::Check& c : r.checks()) {
    if (c.name() == name) return &c;
  }
  return nullptr;
}

void ExpectDecision(const v1::ValidateCertificateResponse& r, v1::Decision d, v1::Reason reason) {
  EXPECT_EQ(r.decision(), d) << r.DebugString();
  EXPECT_EQ(r.reason(), reason) << r.DebugString();
}

// --- extended key usage along the path ---

TEST(CaEkuTest, ServerAuthOnlyIntermediateCannotIssueClientCertificates) {
  Hierarchy h;
  h.inter_eku = {"serverAuth"};
  h.leaf_eku = {"serverAuth", "clientAuth"};
  const auto r = Decide(h, "");
  ExpectDecision(r, v1::DENY, v1::CA_EKU_MISMATCH);
  const v1::Check* c = FindCheck(r, "ca_eku");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->passed());
  EXPECT_THAT(c->detail(), HasSubstr("CN=Path Intermediate"));
  EXPECT_THAT(c->detail(), HasSubstr("1.3.6.1.5.5.7.3.1"));
  // Also with the strict profile off: the check is not part of it.
  ExpectDecision(Decide(h, "strict: {enabled: false}\n"), v1::DENY, v1::CA_EKU_MISMATCH);
  // And for any purpose the policy requires.
  ExpectDecision(Decide(h, "extended_key_usage: {allowed: [clientAuth, emailProtection]}\n"), v1::DENY,
                 v1::CA_EKU_MISMATCH);
  // No purpose required: nothing to check.
  ExpectDecision(Decide(h, "extended_key_usage: {check: false}\n"), v1::ALLOW, v1::OK);
}

TEST(CaEkuTest, IntermediatesThatAllowThePurposeOrDoNotRestrict) {
  for (const std::vector<std::string>& eku : std::vector<std::vector<std::string>>{
           {}, {"clientAuth"}, {"serverAuth", "clientAuth"}, {"anyExtendedKeyUsage"}}) {
    Hierarchy h;
    h.inter_eku = eku;
    const auto r = Decide(h, "");
    ExpectDecision(r, v1::ALLOW, v1::OK);
    const v1::Check* c = FindCheck(r, "ca_eku");
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->passed());
  }
}

TEST(CaEkuTest, AnchorEkuCountsWhileAnchorConstraintsAreEnforced) {
  Hierarchy h;
  h.root_spec.eku = {"serverAuth"};
  ExpectDecision(Decide(h, ""), v1::DENY, v1::CA_EKU_MISMATCH);
  ExpectDecision(Decide(h, "", "  enforce_anchor_constraints: false\n"), v1::ALLOW, v1::OK);
}

// --- certificate policies ---

TEST(CertificatePoliciesTest, RequiredPolicyIsHeldAndReported) {
  Hierarchy h;
  h.inter_ext = {{"certificatePolicies", absl::StrCat(kPiv, ",", kOrg)}};
  h.leaf_ext = {{"certificatePolicies", kPiv}};
  const auto r = Decide(h, absl::StrCat("certificate_policies: {required: [\"", kPiv, "\"]}\n"));
  ExpectDecision(r, v1::ALLOW, v1::OK);
  EXPECT_THAT(r.identity().certificate_policies(), ElementsAre(kPiv));
  // Without a requirement the valid policy set is reported all the same.
  const auto any = Decide(h, "");
  ExpectDecision(any, v1::ALLOW, v1::OK);
  EXPECT_THAT(any.identity().certificate_policies(), ElementsAre(kPiv));
}

TEST(CertificatePoliciesTest, RequiredPolicyMissingIsDenied) {
  Hierarchy h;
  h.inter_ext = {{"certificatePolicies", absl::StrCat(kPiv, ",", kOrg)}};
  h.leaf_ext = {{"certificatePolicies", kOrg}};
  const auto r = Decide(h, absl::StrCat("certificate_policies: {required: [\"", kPiv, "\"]}\n"));
  ExpectDecision(r, v1::DENY, v1::CERTIFICATE_POLICY_INVALID);
  // RFC 5280's plain user-initial-policy-set: valid, with an empty user-constrained set.
  const auto plain =
      Decide(h, absl::StrCat("certificate_policies: {required: [\"", kPiv, "\"], require_explicit_policy: false}\n"));
  ExpectDecision(plain, v1::ALLOW, v1::OK);
  EXPECT_TRUE(plain.identity().certificate_policies().empty());
  // A leaf without any policy, under an explicit-policy requirement.
  Hierarchy none;
  ExpectDecision(Decide(none, "certificate_policies: {require_explicit_policy: true}\n"), v1::DENY,
                 v1::CERTIFICATE_POLICY_INVALID);
}

TEST(CertificatePoliciesTest, CaPolicyConstraintsApplyWhateverThePolicySays) {
  Hierarchy h;
  h.inter_ext = {{"certificatePolicies", kOrg}, {"policyConstraints", "critical,requireExplicitPolicy:0"}};
  ExpectDecision(Decide(h, "strict: {enabled: false}\n"), v1::DENY, v1::CERTIFICATE_POLICY_INVALID);
  h.leaf_ext = {{"certificatePolicies", kOrg}};
  ExpectDecision(Decide(h, ""), v1::ALLOW, v1::OK);
}

TEST(CertificatePoliciesTest, InhibitAnyPolicyInput) {
  Hierarchy h;
  h.inter_ext = {{"certificatePolicies", "anyPolicy"}};
  h.leaf_ext = {{"certificatePolicies", "anyPolicy"}};
  ExpectDecision(Decide(h, "certificate_policies: {require_explicit_policy: true}\n"), v1::ALLOW, v1::OK);
  ExpectDecision(Decide(h, "certificate_policies: {require_explicit_policy: true, inhibit_any_policy: true}\n"),
                 v1::DENY, v1::CERTIFICATE_POLICY_INVALID);
}

TEST(CertificatePoliciesTest, MalformedOidIsALoadError) {
  RegistryBuilder rb;
  rb.File("root.pem", CertFactory::SelfSigned({.cn = "R", .is_ca = true}).pem());
  rb.Policy("p.yaml", "id: p\ntrust: {anchor_files: [root.pem]}\ncertificate_policies: {required: [piv]}\n");
  policy::LoadResult result = rb.Load();
  ASSERT_FALSE(result.errors.empty());
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("certificate_policies.required[0]"));
}

// --- the anchor's validity period ---

TEST(AnchorExpiryTest, ExpiredAnchorUnlessExpiryIsNotEnforced) {
  Hierarchy h;
  h.root_spec.not_before = TestNow() - absl::Hours(24 * 365);
  h.root_spec.not_after = TestNow() - absl::Hours(24);
  ExpectDecision(Decide(h, ""), v1::DENY, v1::EXPIRED);
  ExpectDecision(Decide(h, "", "  enforce_anchor_expiry: false\n"), v1::ALLOW, v1::OK);
}

}  // namespace
}  // namespace certguard::core
