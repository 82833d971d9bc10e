// RFC 5280 §6.1 certificate policy processing through VerifyChain: the constraints that CA
// certificates carry (requireExplicitPolicy, inhibitPolicyMapping, inhibitAnyPolicy, policy
// mappings) always apply, the user-initial inputs come from VerifyOptions, and the valid
// policy set of the path is returned.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/x509/chain_verifier.h"
#include "server/x509/trust_store.h"
#include "server/x509/verify_error.h"
#include "tests/testing/cert_factory.h"
#include "tests/x509/x509_test_util.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::certguard::x509::testing::ExpectVerifyError;
using ::certguard::x509::testing::Parse;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kPiv[] = "2.16.840.1.101.3.2.1.3.13";  // id-fpki-common-authentication
constexpr char kOrg[] = "1.3.6.1.4.1.55555.1.2";
constexpr char kAnyPolicy[] = "2.5.29.32.0";

using Extensions = std::vector<std::pair<std::string, std::string>>;

// root -> intermediate (extensions `inter`) -> leaf (extensions `leaf`), verified with `o`.
struct Path {
  Extensions inter;
  Extensions leaf;
  std::optional<Extensions> upper;  // set: another intermediate between the root and `inter`

  VerifyResult Verify(VerifyOptions o = {}) const {
    CertSpec r;
    r.cn = "Policy Root";
    r.is_ca = true;
    const TestCert root = CertFactory::SelfSigned(r);
    std::vector<CertificatePtr> presented;
    TestCert issuer = root;
    if (upper.has_value()) {
      CertSpec u;
      u.cn = "Policy Upper Intermediate";
      u.is_ca = true;
      u.extensions = *upper;
      issuer = CertFactory::Issue(u, root);
      presented.push_back(Parse(issuer));
    }
    CertSpec i;
    i.cn = "Policy Intermediate";
    i.is_ca = true;
    i.extensions = inter;
    const TestCert intermediate = CertFactory::Issue(i, issuer);
    presented.insert(presented.begin(), Parse(intermediate));
    CertSpec l;
    l.cn = "policy-leaf.example.com";
    l.eku = {"clientAuth"};
    l.extensions = leaf;
    const TestCert leaf_cert = CertFactory::Issue(l, intermediate);
    auto store = TrustStore::Create({Parse(root)}, {});
    EXPECT_TRUE(store.ok()) << store.status();
    o.now = TestNow();
    return VerifyChain(*Parse(leaf_cert), presented, **store, o);
  }
};

TEST(PolicyProcessingTest, NoPoliciesAnywhereIsValidWithAnEmptySet) {
  VerifyResult r = Path{}.Verify();
  ExpectVerifyError(r, VerifyError::kNone);
  EXPECT_THAT(r.valid_policies, IsEmpty());
}

TEST(PolicyProcessingTest, RequireExplicitPolicyInACaIsEnforced) {
  // The CA requires an explicit policy from the next certificate on; the leaf asserts none.
  // (The CA states a policy itself: OpenSSL 3.0 leaks the decoded policyConstraints of a
  // certificate that has no certificatePolicies, which the ASan run would report.)
  VerifyResult r =
      Path{{{"policyConstraints", "critical,requireExplicitPolicy:0"}, {"certificatePolicies", kOrg}}, {}}.Verify();
  ExpectVerifyError(r, VerifyError::kPolicy);
  // Both carry a policy: valid.
  VerifyResult ok = Path{
      {{"policyConstraints", "critical,requireExplicitPolicy:0"}, {"certificatePolicies", kOrg}},
      {{"certificatePolicies",
        kOrg}}}.Verify();
  ExpectVerifyError(ok, VerifyError::kNone);
  EXPECT_THAT(ok.valid_policies, ElementsAre(kOrg));
}

TEST(PolicyProcessingTest, DisjointPoliciesUnderRequireExplicitPolicyFail) {
  VerifyResult r = Path{
      {{"policyConstraints", "critical,requireExplicitPolicy:0"}, {"certificatePolicies", kOrg}},
      {{"certificatePolicies",
        kPiv}}}.Verify();
  ExpectVerifyError(r, VerifyError::kPolicy);
}

TEST(PolicyProcessingTest, InhibitAnyPolicyInACaIsEnforced) {
  const Extensions inter = {{"certificatePolicies", kAnyPolicy},
                            {"policyConstraints", "critical,requireExplicitPolicy:0"}};
  const Extensions leaf = {{"certificatePolicies", kAnyPolicy}};
  VerifyResult any = Path{inter, leaf}.Verify();
  ExpectVerifyError(any, VerifyError::kNone);
  EXPECT_THAT(any.valid_policies, ElementsAre(kAnyPolicy));
  Extensions inhibiting = inter;
  inhibiting.push_back({"inhibitAnyPolicy", "critical,0"});
  ExpectVerifyError(Path{inhibiting, leaf}.Verify(), VerifyError::kPolicy);
}

TEST(PolicyProcessingTest, PolicyMappingIsFollowedUnlessInhibited) {
  // The intermediate maps its own kOrg onto kPiv for the certificates below it.
  const Extensions inter = {{"certificatePolicies", kOrg}, {"policyMappings", absl::StrCat(kOrg, ":", kPiv)}};
  const Extensions leaf = {{"certificatePolicies", kPiv}};
  VerifyOptions want_org;
  const std::vector<std::string> org = {kOrg};
  want_org.initial_policy_set = org;
  want_org.initial_explicit_policy = true;
  VerifyResult mapped = Path{inter, leaf}.Verify(want_org);
  ExpectVerifyError(mapped, VerifyError::kNone);
  EXPECT_THAT(mapped.valid_policies, ElementsAre(kOrg));

  VerifyOptions user_inhibits = want_org;
  user_inhibits.initial_policy_mapping_inhibit = true;
  ExpectVerifyError(Path{inter, leaf}.Verify(user_inhibits), VerifyError::kPolicy);

  // A CA above the mapping one inhibits mapping for every certificate below it (a CA's own
  // inhibitPolicyMapping applies from the next certificate on, RFC 5280 §6.1.4 b, i).
  const Extensions upper_inhibits = {{"certificatePolicies", kOrg},
                                     {"policyConstraints", "critical,inhibitPolicyMapping:0"}};
  ExpectVerifyError(Path{inter, leaf, upper_inhibits}.Verify(want_org), VerifyError::kPolicy);
  const Extensions upper_allows = {{"certificatePolicies", kOrg}};
  ExpectVerifyError(Path{inter, leaf, upper_allows}.Verify(want_org), VerifyError::kNone);
}

TEST(PolicyProcessingTest, UserInitialPolicySetSelectsAPolicy) {
  const Extensions inter = {{"certificatePolicies", absl::StrCat(kOrg, ",", kPiv)}};
  const Extensions leaf = {{"certificatePolicies", kPiv}};
  VerifyOptions want_piv;
  const std::vector<std::string> piv = {kPiv};
  want_piv.initial_policy_set = piv;
  want_piv.initial_explicit_policy = true;
  VerifyResult r = Path{inter, leaf}.Verify(want_piv);
  ExpectVerifyError(r, VerifyError::kNone);
  EXPECT_THAT(r.valid_policies, ElementsAre(kPiv));

  VerifyOptions want_org = want_piv;
  const std::vector<std::string> org = {kOrg};
  want_org.initial_policy_set = org;
  ExpectVerifyError(Path{inter, leaf}.Verify(want_org), VerifyError::kPolicy);
}

TEST(PolicyProcessingTest, UserInitialAnyPolicyInhibitRefusesAnAnyPolicyPath) {
  const Extensions inter = {{"certificatePolicies", kAnyPolicy}};
  const Extensions leaf = {{"certificatePolicies", kAnyPolicy}};
  VerifyOptions o;
  o.initial_explicit_policy = true;
  ExpectVerifyError(Path{inter, leaf}.Verify(o), VerifyError::kNone);
  o.initial_any_policy_inhibit = true;
  ExpectVerifyError(Path{inter, leaf}.Verify(o), VerifyError::kPolicy);
}

TEST(PolicyProcessingTest, UserRequireExplicitPolicyRefusesAPathWithoutPolicies) {
  VerifyOptions o;
  o.initial_explicit_policy = true;
  ExpectVerifyError(Path{}.Verify(o), VerifyError::kPolicy);
}

}  // namespace
}  // namespace certguard::x509
