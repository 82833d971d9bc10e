// CRL revocation end to end through the evaluator with real CRLs from CertFactory::CrlPem, and
// a changed CRL file picked up by core::RegistryReloader.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "server/core/evaluator.h"
#include "server/core/registry_reloader.h"
#include "server/policy/registry_store.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard {
namespace {

using testing::CertFactory;
using testing::TestCert;
using testing::TestNow;

const absl::Time kRevokedAt = absl::FromUnixSeconds(1767225600);  // 2026-01-01
const absl::Time kThisUpdate = TestNow() - absl::Hours(24);
const absl::Time kNextUpdate = TestNow() + absl::Hours(24);

struct Pki {
  testing::TestPki pki = testing::MakePki();
  TestCert leaf2 = CertFactory::Issue({.cn = "second", .eku = {"clientAuth"}}, pki.intermediate);
  TestCert impostor = CertFactory::SelfSigned({.cn = "Impostor", .is_ca = true});
  // Same subject name as the intermediate, another key.
  TestCert twin = CertFactory::SelfSigned(
      {.cn = "Test Intermediate CA", .subject_extra = {{"O", "certguard tests"}}, .is_ca = true});
};
const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

std::string Crl(const TestCert& issuer, std::vector<std::pair<std::string, absl::Time>> revoked,
                absl::Time next_update = kNextUpdate) {
  return CertFactory::CrlPem(issuer, revoked, kThisUpdate, next_update);
}

std::string PemToDer(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_CRL* crl = PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  unsigned char* out = nullptr;
  int len = i2d_X509_CRL(crl, &out);
  std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  X509_CRL_free(crl);
  return der;
}

class CrlTest : public ::testing::Test {
 protected:
  // Files: name -> contents; `revocation` is the YAML flow mapping of the policy's revocation.
  void Load(const std::vector<std::pair<std::string, std::string>>& files, const std::string& revocation) {
    builder_ = std::make_unique<testing::RegistryBuilder>();
    builder_->File("root.pem", P().pki.root.pem()).File("intermediate.pem", P().pki.intermediate.pem());
    for (const auto& [name, contents] : files) builder_->File(name, contents);
    builder_->Policy("p.yaml",
                     absl::StrCat("id: p\ntrust: {anchor_files: [root.pem], intermediate_files: [intermediate.pem]}\n"
                                  "revocation: ",
                                  revocation, "\n"));
    registry_ = builder_->LoadOk();
    ASSERT_NE(registry_, nullptr);
  }
  v1::ValidateCertificateResponse Eval(const TestCert& leaf, const policy::Registry* registry = nullptr) {
    v1::ValidateCertificateResponse r;
    const std::string header = leaf.base64_der();
    core::EvaluationInput input;
    input.headers.push_back({"X-ARR-ClientCert", header});
    EXPECT_TRUE(core::EvaluateInRegistry(registry ? registry : registry_.get(), "p", input, TestNow(), &r).ok());
    return r;
  }
  std::unique_ptr<testing::RegistryBuilder> builder_;
  policy::RegistryPtr registry_;
};

TEST_F(CrlTest, RevokedLeafIsDeniedWithRevocationTime) {
  Load({{"int.crl", Crl(P().pki.intermediate, {{P().pki.leaf.serial_hex(), kRevokedAt}})}}, "{crl_files: [int.crl]}");
  auto r = Eval(P().pki.leaf);
  EXPECT_EQ(r.decision(), v1::DENY);
  EXPECT_EQ(r.reason(), v1::REVOKED) << r.DebugString();
  EXPECT_EQ(r.revocation_time().seconds(), absl::ToUnixSeconds(kRevokedAt));
  auto ok = Eval(P().leaf2);
  EXPECT_EQ(ok.decision(), v1::ALLOW) << ok.DebugString();
}

TEST_F(CrlTest, RevokedIntermediateDependsOnScope) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"int.crl", Crl(P().pki.intermediate, {})},
      {"root.crl", Crl(P().pki.root, {{P().pki.intermediate.serial_hex(), kRevokedAt}})}};
  Load(files, "{crl_files: [int.crl, root.crl], scope: END_CERTIFICATE}");
  EXPECT_EQ(Eval(P().pki.leaf).decision(), v1::ALLOW);
  Load(files, "{crl_files: [int.crl, root.crl], scope: EXCLUDE_ROOT}");
  EXPECT_EQ(Eval(P().pki.leaf).reason(), v1::REVOKED);
  Load(files, "{crl_files: [int.crl, root.crl], scope: ENTIRE_CHAIN}");
  auto r = Eval(P().pki.leaf);
  EXPECT_EQ(r.reason(), v1::REVOKED) << r.DebugString();
  EXPECT_EQ(r.revocation_time().seconds(), absl::ToUnixSeconds(kRevokedAt));
}

TEST_F(CrlTest, StaleCrlFailClosedVersusSoftFail) {
  const std::string stale = Crl(P().pki.intermediate, {}, TestNow() - absl::Hours(1));
  Load({{"int.crl", stale}}, "{crl_files: [int.crl], stale_crl: FAIL_CLOSED}");
  EXPECT_EQ(Eval(P().pki.leaf).reason(), v1::REVOCATION_UNKNOWN);
  Load({{"int.crl", stale}}, "{crl_files: [int.crl], stale_crl: SOFT_FAIL}");
  auto r = Eval(P().pki.leaf);
  EXPECT_EQ(r.decision(), v1::ALLOW) << r.DebugString();
  bool reported = false;
  for (const auto& c : r.checks()) {
    if (c.name() == "revocation") reported = c.passed() && c.detail().find("soft-fail") != std::string::npos;
    if (c.name() == "revocation") {
      EXPECT_TRUE(c.failed_open());
    }
  }
  EXPECT_TRUE(reported) << r.DebugString();
  // A fresh CRL: the check passes without failing open.
  Load({{"int.crl", Crl(P().pki.intermediate, {}, TestNow() + absl::Hours(1))}},
       "{crl_files: [int.crl], stale_crl: SOFT_FAIL}");
  r = Eval(P().pki.leaf);
  for (const auto& c : r.checks()) {
    if (c.name() == "revocation") {
      EXPECT_FALSE(c.failed_open()) << r.DebugString();
    }
  }
}

TEST_F(CrlTest, CrlSignedByWrongKeyIsNotUsable) {
  // Names the intermediate as issuer but is signed with another key: never usable, so the
  // leaf's status is unknown (fail closed) even though the CRL "revokes" nothing.
  Load({{"bad.crl", Crl(P().twin, {})}}, "{crl_files: [bad.crl]}");
  auto r = Eval(P().pki.leaf);
  EXPECT_EQ(r.reason(), v1::REVOCATION_UNKNOWN) << r.DebugString();
  // Nor can such a CRL revoke: a forged entry for the leaf is not REVOKED.
  Load({{"bad.crl", Crl(P().twin, {{P().pki.leaf.serial_hex(), kRevokedAt}})}}, "{crl_files: [bad.crl]}");
  EXPECT_NE(Eval(P().pki.leaf).reason(), v1::REVOKED);
}

TEST_F(CrlTest, PemAndDerFilesAndSeveralFiles) {
  const std::string pem = Crl(P().pki.intermediate, {{P().pki.leaf.serial_hex(), kRevokedAt}});
  Load({{"int.der", PemToDer(pem)}}, "{crl_files: [int.der]}");
  EXPECT_EQ(Eval(P().pki.leaf).reason(), v1::REVOKED);
  EXPECT_EQ(Eval(P().leaf2).decision(), v1::ALLOW);
  // Two files: an unrelated CA's CRL plus the intermediate's.
  Load({{"other.crl", Crl(P().impostor, {})}, {"int.crl", pem}}, "{crl_files: [other.crl, int.crl]}");
  EXPECT_EQ(Eval(P().pki.leaf).reason(), v1::REVOKED);
  EXPECT_EQ(Eval(P().leaf2).decision(), v1::ALLOW);
}

TEST_F(CrlTest, ChangedCrlFileIsPickedUpOnReload) {
  Load({{"int.crl", Crl(P().pki.intermediate, {})}}, "{crl_files: [int.crl]}");
  policy::RegistryStore store;
  core::RegistryReloader reloader(builder_->dir(), &store, nullptr, [] { return TestNow(); });
  ASSERT_TRUE(reloader.Reload("test").ok);
  EXPECT_EQ(Eval(P().pki.leaf, store.Current().get()).decision(), v1::ALLOW);
  const std::string before = store.Current()->revision();

  testing::WriteFile(builder_->dir() + "/int.crl",
                     CertFactory::CrlPem(P().pki.intermediate, {{P().pki.leaf.serial_hex(), kRevokedAt}},
                                         kThisUpdate + absl::Hours(1), kNextUpdate));
  auto outcome = reloader.Reload("test");
  ASSERT_TRUE(outcome.ok);
  EXPECT_TRUE(outcome.changed);
  EXPECT_NE(store.Current()->revision(), before);
  EXPECT_EQ(Eval(P().pki.leaf, store.Current().get()).reason(), v1::REVOKED);
}

}  // namespace
}  // namespace certguard
