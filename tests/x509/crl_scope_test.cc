// RFC 5280 §5.2.4 / §6.3 revocation through VerifyChain: delta CRLs applied to their base,
// issuing-distribution-point scope, reason partitions, indirect CRLs and CRLs signed by a
// separate key of the issuing CA. Every CRL is generated here (cert_factory).
#include <string>
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
using ::certguard::testing::CrlEntry;
using ::certguard::testing::CrlSpec;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::certguard::x509::testing::ExpectVerifyError;
using ::certguard::x509::testing::Parse;
using ::certguard::x509::testing::ParseCrls;

constexpr int kKeyCompromise = 1;
constexpr int kCertificateHold = 6;
constexpr int kRemoveFromCrl = 8;

// root -> "Issuing CA" -> leaf (serial 1EAF), plus a CRL issuer for indirect CRLs and a
// second key of the Issuing CA's name that signs CRLs only, both issued by the root.
struct Pki {
  TestCert root, issuing, leaf, crl_issuer, crl_signer;
  Pki() {
    CertSpec r;
    r.cn = "Scope Root";
    r.is_ca = true;
    root = CertFactory::SelfSigned(r);
    CertSpec i;
    i.cn = "Issuing CA";
    i.is_ca = true;
    issuing = CertFactory::Issue(i, root);
    CertSpec l;
    l.cn = "scope-leaf.example.com";
    l.eku = {"clientAuth"};
    l.serial_hex = "1EAF";
    leaf = CertFactory::Issue(l, issuing);
    CertSpec ci;
    ci.cn = "Indirect CRL Issuer";
    ci.key_usage = {"cRLSign"};
    crl_issuer = CertFactory::Issue(ci, root);
    CertSpec cs;
    cs.cn = "Issuing CA";  // same name as the issuing CA, another key
    cs.key_usage = {"cRLSign"};
    crl_signer = CertFactory::Issue(cs, root);
  }
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

CrlSpec Base(std::vector<CrlEntry> revoked = {}, long number = 10) {
  CrlSpec s;
  s.revoked = std::move(revoked);
  s.this_update = TestNow() - absl::Hours(1);
  s.next_update = TestNow() + absl::Hours(24);
  s.number = number;
  return s;
}

// A complete CRL that names where its deltas are published, as AD CS writes them.
CrlSpec BaseWithFreshest(std::vector<CrlEntry> revoked = {}) {
  CrlSpec s = Base(std::move(revoked));
  s.extensions = {{"freshestCRL", "URI:http://crl.example/issuing+.crl"}};
  return s;
}

CrlSpec Delta(std::vector<CrlEntry> revoked, long base, long number = 11) {
  CrlSpec s = Base(std::move(revoked), number);
  s.delta_base = base;
  return s;
}

// Verifies P().leaf (presenting the issuing CA) against the root with `crls`.
struct Verification {
  std::vector<std::string> crl_pems;
  RevocationScope scope = RevocationScope::kEndCertificate;
  bool soft_fail = false;
  const TestCert* leaf = nullptr;  // default P().leaf
  std::vector<const TestCert*> store_intermediates;

  VerifyResult operator()() const {
    std::vector<CrlPtr> crls;
    for (const std::string& pem : crl_pems) {
      for (CrlPtr& c : ParseCrls(pem)) crls.push_back(std::move(c));
    }
    std::vector<CertificatePtr> inters;
    for (const TestCert* c : store_intermediates) inters.push_back(Parse(*c));
    auto store = TrustStore::Create({Parse(P().root)}, inters);
    EXPECT_TRUE(store.ok()) << store.status();
    CertificatePtr leaf_cert = Parse(leaf != nullptr ? *leaf : P().leaf);
    std::vector<CertificatePtr> presented = {Parse(P().issuing)};
    VerifyOptions o;
    o.now = TestNow();
    o.crls = crls;
    o.revocation_scope = scope;
    o.crl_soft_fail = soft_fail;
    return VerifyChain(*leaf_cert, presented, **store, o);
  }
};

// ExpectVerifyError with the caller's line (the arguments hold braced lists).
#define EXPECT_VERIFY(...)          \
  do {                              \
    SCOPED_TRACE(__LINE__);         \
    ExpectVerifyError(__VA_ARGS__); \
  } while (0)

// --- delta CRLs (RFC 5280 §5.2.4) ---

TEST(DeltaCrlTest, RevokedInTheBaseIsRevokedWhateverTheFileOrder) {
  for (const CrlSpec& spec : {Base({{"1EAF"}}), BaseWithFreshest({{"1EAF"}})}) {
    const std::string base = CertFactory::Crl(spec, P().issuing);
    const std::string delta = CertFactory::Crl(Delta({}, 10), P().issuing);
    EXPECT_VERIFY(Verification{{base, delta}}(), VerifyError::kRevoked);
    EXPECT_VERIFY(Verification{{delta, base}}(), VerifyError::kRevoked);
  }
}

TEST(DeltaCrlTest, RevokedInTheDeltaIsRevoked) {
  // With freshestCRL OpenSSL applies the delta itself; without it certguard does.
  for (const CrlSpec& spec : {Base({{"0123"}}), BaseWithFreshest({{"0123"}})}) {
    const std::string base = CertFactory::Crl(spec, P().issuing);
    const std::string delta = CertFactory::Crl(Delta({{"1EAF"}}, 10), P().issuing);
    VerifyResult r = Verification{{base, delta}}();
    EXPECT_VERIFY(r, VerifyError::kRevoked);
    EXPECT_EQ(r.revocation_time, certguard::testing::TestNotBefore());
    EXPECT_VERIFY(Verification{{delta, base}}(), VerifyError::kRevoked);
  }
}

TEST(DeltaCrlTest, DeltaOfAnotherIssuerOrBaseDoesNotApply) {
  const std::string base = CertFactory::Crl(Base({{"0123"}}), P().issuing);
  // Signed by the root: not the leaf's issuer.
  EXPECT_VERIFY((Verification{{base, CertFactory::Crl(Delta({{"1EAF"}}, 10), P().root)}}()), VerifyError::kNone);
  // Built on base 12, newer than the complete CRL (10): RFC 5280 §5.2.4 forbids combining them.
  EXPECT_VERIFY((Verification{{base, CertFactory::Crl(Delta({{"1EAF"}}, 12, 13), P().issuing)}}()), VerifyError::kNone);
}

TEST(DeltaCrlTest, NotRevokedInEitherIsValid) {
  for (const CrlSpec& spec : {Base({{"0123"}}), BaseWithFreshest({{"0123"}})}) {
    const std::string base = CertFactory::Crl(spec, P().issuing);
    const std::string delta = CertFactory::Crl(Delta({{"0456"}}, 10), P().issuing);
    EXPECT_VERIFY(Verification{{base, delta}}(), VerifyError::kNone);
  }
}

TEST(DeltaCrlTest, RemoveFromCrlInTheDeltaReleasesAHold) {
  const std::string base =
      CertFactory::Crl(BaseWithFreshest({{"1EAF", TestNow() - absl::Hours(5), kCertificateHold}}), P().issuing);
  const std::string delta =
      CertFactory::Crl(Delta({{"1EAF", TestNow() - absl::Hours(2), kRemoveFromCrl}}, 10), P().issuing);
  EXPECT_VERIFY(Verification{{base}}(), VerifyError::kRevoked);
  EXPECT_VERIFY(Verification{{base, delta}}(), VerifyError::kNone);
}

TEST(DeltaCrlTest, DeltaAloneIsNotACompleteCrl) {
  const std::string delta = CertFactory::Crl(Delta({}, 10), P().issuing);
  VerifyResult r = Verification{{delta}}();
  EXPECT_VERIFY(r, VerifyError::kRevocationUnknown);
}

TEST(DeltaCrlTest, StaleBaseIsStaleEvenWithAFreshDelta) {
  CrlSpec stale = Base();
  stale.this_update = TestNow() - absl::Hours(48);
  stale.next_update = TestNow() - absl::Hours(24);
  const std::string base = CertFactory::Crl(stale, P().issuing);
  const std::string delta = CertFactory::Crl(Delta({}, 10), P().issuing);
  EXPECT_VERIFY((Verification{{base, delta}}()), VerifyError::kRevocationUnknown);
  EXPECT_VERIFY((Verification{{delta, base}}()), VerifyError::kRevocationUnknown);
  VerifyResult soft = Verification{{base, delta}, RevocationScope::kEndCertificate, /*soft_fail=*/true}();
  EXPECT_VERIFY(soft, VerifyError::kNone);
  EXPECT_TRUE(soft.crl_stale);
}

// --- issuing distribution point scope (RFC 5280 §5.2.5, §6.3.3 b) ---

CrlSpec Scoped(std::vector<CrlEntry> revoked, const std::string& idp_section) {
  CrlSpec s = Base(std::move(revoked));
  s.extensions = {{"issuingDistributionPoint", "critical,@idp"}};
  s.extension_sections = "[idp]\n" + idp_section;
  return s;
}

TEST(CrlScopeTest, UserCertificatesOnlyCrlCoversTheLeaf) {
  const std::string crl = CertFactory::Crl(Scoped({{"1EAF"}}, "onlyuser=TRUE\n"), P().issuing);
  EXPECT_VERIFY(Verification{{crl}}(), VerifyError::kRevoked);
  const std::string clean = CertFactory::Crl(Scoped({}, "onlyuser=TRUE\n"), P().issuing);
  EXPECT_VERIFY(Verification{{clean}}(), VerifyError::kNone);
}

TEST(CrlScopeTest, CaCertificatesOnlyCrlDoesNotCoverTheLeaf) {
  const std::string crl = CertFactory::Crl(Scoped({}, "onlyCA=TRUE\n"), P().issuing);
  EXPECT_VERIFY(Verification{{crl}}(), VerifyError::kRevocationUnknown);
}

TEST(CrlScopeTest, EntireChainNeedsACaScopedCrlForTheIntermediate) {
  const std::string leaf_crl = CertFactory::Crl(Scoped({}, "onlyuser=TRUE\n"), P().issuing);
  const std::string root_user_crl = CertFactory::Crl(Scoped({}, "onlyuser=TRUE\n"), P().root);
  EXPECT_VERIFY((Verification{{leaf_crl, root_user_crl}, RevocationScope::kExcludeRoot}()),
                VerifyError::kRevocationUnknown);
  const std::string root_ca_crl = CertFactory::Crl(Scoped({}, "onlyCA=TRUE\n"), P().root);
  EXPECT_VERIFY((Verification{{leaf_crl, root_ca_crl}, RevocationScope::kExcludeRoot}()), VerifyError::kNone);
  CrlSpec revoked_ca = Scoped({}, "onlyCA=TRUE\n");
  revoked_ca.revoked = {{Parse(P().issuing)->info().serial_hex}};
  const std::string root_revokes = CertFactory::Crl(revoked_ca, P().root);
  EXPECT_VERIFY((Verification{{leaf_crl, root_revokes}, RevocationScope::kExcludeRoot}()), VerifyError::kRevoked);
}

// --- reason partitions (onlySomeReasons, §6.3.3 d, j) ---

constexpr char kCompromiseReasons[] = "onlysomereasons=keyCompromise,CACompromise\n";
constexpr char kOtherReasons[] =
    "onlysomereasons=affiliationChanged,superseded,cessationOfOperation,certificateHold,"
    "privilegeWithdrawn,AACompromise\n";

TEST(CrlReasonsTest, PartitionsThatTogetherCoverEveryReasonDecide) {
  const std::string compromise = CertFactory::Crl(Scoped({}, kCompromiseReasons), P().issuing);
  const std::string other = CertFactory::Crl(Scoped({}, kOtherReasons), P().issuing);
  EXPECT_VERIFY((Verification{{compromise, other}}()), VerifyError::kNone);
}

TEST(CrlReasonsTest, OnePartitionAloneIsNotEnough) {
  const std::string compromise = CertFactory::Crl(Scoped({}, kCompromiseReasons), P().issuing);
  EXPECT_VERIFY(Verification{{compromise}}(), VerifyError::kRevocationUnknown);
}

TEST(CrlReasonsTest, RevokedInEitherPartitionIsRevoked) {
  const std::string compromise =
      CertFactory::Crl(Scoped({{"1EAF", TestNow() - absl::Hours(2), kKeyCompromise}}, kCompromiseReasons), P().issuing);
  const std::string other = CertFactory::Crl(Scoped({}, kOtherReasons), P().issuing);
  EXPECT_VERIFY((Verification{{compromise, other}}()), VerifyError::kRevoked);
  EXPECT_VERIFY((Verification{{other, compromise}}()), VerifyError::kRevoked);
}

// --- indirect CRLs (cRLIssuer, indirectCRL, certificateIssuer; §5.2.5, §5.3.3) ---

// A leaf whose distribution point names the indirect CRL issuer.
TestCert IndirectLeaf(const std::string& serial) {
  CertSpec l;
  l.cn = "indirect-leaf.example.com";
  l.eku = {"clientAuth"};
  l.serial_hex = serial;
  l.extensions = {{"crlDistributionPoints", "dp"}};
  l.extension_sections =
      "[dp]\nfullname=URI:http://crl.example/indirect.crl\nCRLissuer=dirName:ci\n"
      "[ci]\nCN=Indirect CRL Issuer\n";
  return CertFactory::Issue(l, P().issuing);
}

std::string IndirectCrl(std::vector<CrlEntry> revoked) {
  CrlSpec s = Scoped(std::move(revoked), "fullname=URI:http://crl.example/indirect.crl\nindirectCRL=TRUE\n");
  return CertFactory::Crl(s, P().crl_issuer);
}

TEST(IndirectCrlTest, EntryOfTheIssuingCaRevokes) {
  const TestCert leaf = IndirectLeaf("2BAD");
  Verification run{{IndirectCrl({{"2BAD", TestNow() - absl::Hours(2), -1, &P().issuing}})}};
  run.leaf = &leaf;
  run.store_intermediates = {&P().crl_issuer};
  EXPECT_VERIFY(run(), VerifyError::kRevoked);
}

TEST(IndirectCrlTest, SameSerialOfAnotherIssuerDoesNotRevoke) {
  const TestCert leaf = IndirectLeaf("2BAD");
  Verification run{{IndirectCrl({{"2BAD", TestNow() - absl::Hours(2), -1, &P().root}})}};
  run.leaf = &leaf;
  run.store_intermediates = {&P().crl_issuer};
  EXPECT_VERIFY(run(), VerifyError::kNone);
}

TEST(IndirectCrlTest, WithoutTheCrlIssuersCertificateTheAnswerIsUnknown) {
  const TestCert leaf = IndirectLeaf("2BAD");
  Verification run{{IndirectCrl({})}};
  run.leaf = &leaf;
  EXPECT_VERIFY(run(), VerifyError::kRevocationUnknown);
}

// --- a CRL signed by another key of the issuing CA's name (§6.3.3 f) ---

TEST(CrlSignerTest, SeparateCrlSigningKeyOfTheSameCaName) {
  CrlSpec clean = Base();
  clean.issuer_name = &P().issuing;
  Verification ok{{CertFactory::Crl(clean, P().crl_signer)}};
  ok.store_intermediates = {&P().crl_signer};
  EXPECT_VERIFY(ok(), VerifyError::kNone);

  CrlSpec revoking = Base({{"1EAF"}});
  revoking.issuer_name = &P().issuing;
  Verification revoked{{CertFactory::Crl(revoking, P().crl_signer)}};
  revoked.store_intermediates = {&P().crl_signer};
  EXPECT_VERIFY(revoked(), VerifyError::kRevoked);
}

TEST(CrlSignerTest, SignerThatDoesNotChainToTheSameAnchorIsRefused) {
  CertSpec foreign_root;
  foreign_root.cn = "Foreign Root";
  foreign_root.is_ca = true;
  const TestCert foreign = CertFactory::SelfSigned(foreign_root);
  CertSpec cs;
  cs.cn = "Issuing CA";
  cs.key_usage = {"cRLSign"};
  const TestCert signer = CertFactory::Issue(cs, foreign);
  CrlSpec clean = Base();
  clean.issuer_name = &P().issuing;
  Verification run{{CertFactory::Crl(clean, signer)}};
  run.store_intermediates = {&signer};
  EXPECT_VERIFY(run(), VerifyError::kRevocationUnknown);
}

}  // namespace
}  // namespace certguard::x509
