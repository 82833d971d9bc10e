// What a trust anchor's own certificate contributes (AnchorOptions, VerifyOptions::
// enforce_anchor_expiry): with constraints enforced its pathLenConstraint, name constraints and
// policy constraints apply to the path, as in OpenSSL; without, a CA anchor is its name and key.
#include <string>
#include <utility>
#include <vector>

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

struct Anchored {
  TestCert root;
  std::vector<TestCert> chain;  // presented, issuer of the leaf first
  TestCert leaf;
};

CertSpec Root(std::vector<std::pair<std::string, std::string>> extensions = {}) {
  CertSpec r;
  r.cn = "Anchor Root";
  r.is_ca = true;
  r.extensions = std::move(extensions);
  return r;
}

CertSpec Leaf(const std::string& dns = "leaf.allowed.example") {
  CertSpec l;
  l.cn = dns;
  l.eku = {"clientAuth"};
  l.san_dns = {dns};
  return l;
}

VerifyResult Verify(const Anchored& a, bool enforce_constraints, bool enforce_expiry = true,
                    bool partial_anchor = false) {
  std::vector<CertificatePtr> anchors = {Parse(partial_anchor ? a.chain.back() : a.root)};
  auto store = TrustStore::Create(anchors, {}, AnchorOptions{.enforce_constraints = enforce_constraints});
  EXPECT_TRUE(store.ok()) << store.status();
  std::vector<CertificatePtr> presented;
  for (const TestCert& c : a.chain) presented.push_back(Parse(c));
  VerifyOptions o;
  o.now = TestNow();
  o.enforce_anchor_expiry = enforce_expiry;
  VerifyResult r = VerifyChain(*Parse(a.leaf), presented, **store, o);
  if (r.ok()) {
    // The path ends at the configured anchor certificate, never at a stand-in.
    EXPECT_EQ(r.path.back(), anchors[0]);
  }
  return r;
}

TEST(TrustAnchorTest, NameConstraintsOfTheAnchor) {
  Anchored a;
  a.root = CertFactory::SelfSigned(Root({{"nameConstraints", "critical,permitted;DNS:allowed.example"}}));
  a.leaf = CertFactory::Issue(Leaf("leaf.other.example"), a.root);
  ExpectVerifyError(Verify(a, /*enforce_constraints=*/true), VerifyError::kNameConstraints);
  ExpectVerifyError(Verify(a, /*enforce_constraints=*/false), VerifyError::kNone);
  // A name inside the constraint is fine either way.
  a.leaf = CertFactory::Issue(Leaf("leaf.allowed.example"), a.root);
  ExpectVerifyError(Verify(a, true), VerifyError::kNone);
}

TEST(TrustAnchorTest, PathLenConstraintOfTheAnchor) {
  CertSpec root = Root();
  root.path_len = 0;
  Anchored a;
  a.root = CertFactory::SelfSigned(root);
  CertSpec inter;
  inter.cn = "Below Anchor";
  inter.is_ca = true;
  a.chain = {CertFactory::Issue(inter, a.root)};
  a.leaf = CertFactory::Issue(Leaf(), a.chain[0]);
  ExpectVerifyError(Verify(a, true), VerifyError::kInvalidCa);
  ExpectVerifyError(Verify(a, false), VerifyError::kNone);
}

TEST(TrustAnchorTest, ConstraintsOfAnIntermediateAnchor) {
  // With partial chains the anchor is an intermediate: the same choice applies to it.
  Anchored a;
  a.root = CertFactory::SelfSigned(Root());
  CertSpec anchor;
  anchor.cn = "Intermediate Anchor";
  anchor.is_ca = true;
  anchor.path_len = 0;
  CertSpec below;
  below.cn = "Issuing CA";
  below.is_ca = true;
  const TestCert anchor_cert = CertFactory::Issue(anchor, a.root);
  const TestCert issuing = CertFactory::Issue(below, anchor_cert);
  a.chain = {issuing, anchor_cert};
  a.leaf = CertFactory::Issue(Leaf(), issuing);
  ExpectVerifyError(Verify(a, true, true, /*partial_anchor=*/true), VerifyError::kInvalidCa);
  ExpectVerifyError(Verify(a, false, true, /*partial_anchor=*/true), VerifyError::kNone);
}

TEST(TrustAnchorTest, PolicyConstraintsOfTheAnchor) {
  Anchored a;
  a.root = CertFactory::SelfSigned(Root({{"policyConstraints", "critical,requireExplicitPolicy:0"}}));
  a.leaf = CertFactory::Issue(Leaf(), a.root);
  const VerifyResult enforced = Verify(a, true);
  const VerifyResult ignored = Verify(a, false);
  ExpectVerifyError(ignored, VerifyError::kNone);
  // RFC 5280 §6.1 does not process the trust anchor's certificate; OpenSSL neither.
  ExpectVerifyError(enforced, VerifyError::kNone);
}

TEST(TrustAnchorTest, ExpiredAnchor) {
  CertSpec root = Root();
  root.not_before = TestNow() - absl::Hours(24 * 400);
  root.not_after = TestNow() - absl::Hours(24);
  Anchored a;
  a.root = CertFactory::SelfSigned(root);
  a.leaf = CertFactory::Issue(Leaf(), a.root);
  ExpectVerifyError(Verify(a, true, /*enforce_expiry=*/true), VerifyError::kExpired);
  ExpectVerifyError(Verify(a, true, /*enforce_expiry=*/false), VerifyError::kNone);
  ExpectVerifyError(Verify(a, false, /*enforce_expiry=*/false), VerifyError::kNone);
  // The leaf's own validity is checked regardless.
  CertSpec expired_leaf = Leaf();
  expired_leaf.not_before = root.not_before;
  expired_leaf.not_after = root.not_after;
  a.leaf = CertFactory::Issue(expired_leaf, a.root);
  ExpectVerifyError(Verify(a, true, false), VerifyError::kExpired);
}

TEST(TrustAnchorTest, ExpiredSelfSignedLeafThatIsItsOwnAnchorIsAlwaysChecked) {
  CertSpec leaf = Leaf();
  leaf.not_before = TestNow() - absl::Hours(24 * 400);
  leaf.not_after = TestNow() - absl::Hours(24);
  Anchored a;
  a.root = CertFactory::SelfSigned(leaf);
  a.leaf = a.root;
  ExpectVerifyError(Verify(a, true, /*enforce_expiry=*/false), VerifyError::kExpired);
  ExpectVerifyError(Verify(a, false, /*enforce_expiry=*/false), VerifyError::kExpired);
}

TEST(TrustAnchorTest, UnconstrainedAnchorStillNeedsTheRightKey) {
  // The stand-in keeps the anchor's name and key: a leaf signed by another key of the same
  // name is refused.
  Anchored a;
  a.root = CertFactory::SelfSigned(Root({{"nameConstraints", "critical,permitted;DNS:allowed.example"}}));
  const TestCert impostor = CertFactory::SelfSigned(Root());
  a.leaf = CertFactory::Issue(Leaf(), impostor);
  const VerifyResult r = Verify(a, false);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.error == VerifyError::kUntrusted || r.error == VerifyError::kSignatureInvalid)
      << VerifyErrorName(r.error) << ": " << r.message;
}

}  // namespace
}  // namespace certguard::x509
