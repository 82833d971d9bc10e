#include "server/x509/crl.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gtest/gtest.h"
#include "server/x509/openssl_ptr.h"
#include "tests/testing/cert_factory.h"
#include "tests/x509/x509_test_util.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::MakePki;
using ::certguard::testing::TestNow;
using ::certguard::testing::TestPki;

std::string PemToDer(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  EXPECT_NE(crl, nullptr);
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

class CrlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(MakePki()); }
  static TestPki* pki_;
};
TestPki* CrlTest::pki_ = nullptr;

TEST_F(CrlTest, PemWithSeveralCrls) {
  const absl::Time this_update = TestNow() - absl::Hours(1);
  const absl::Time next_update = TestNow() + absl::Hours(24);
  std::string pem = "# issued by the test intermediate\n" +
                    CertFactory::CrlPem(pki_->intermediate, {{"01", TestNow()}}, this_update, next_update) +
                    pki_->leaf.pem() +  // other blocks are skipped
                    CertFactory::CrlPem(pki_->root, {}, this_update, absl::InfiniteFuture());
  auto crls = Crl::Parse(pem);
  ASSERT_TRUE(crls.ok()) << crls.status();
  ASSERT_EQ(crls->size(), 2u);
  EXPECT_EQ((*crls)[0]->this_update(), this_update);
  EXPECT_EQ((*crls)[0]->next_update(), next_update);
  EXPECT_EQ((*crls)[1]->next_update(), absl::InfiniteFuture());
  EXPECT_NE(X509_NAME_cmp(X509_CRL_get_issuer((*crls)[0]->raw()), X509_CRL_get_issuer((*crls)[1]->raw())), 0);
}

TEST_F(CrlTest, Der) {
  std::string der = PemToDer(CertFactory::CrlPem(pki_->intermediate, {}, TestNow(), TestNow() + absl::Hours(1)));
  auto crls = Crl::Parse(der);
  ASSERT_TRUE(crls.ok()) << crls.status();
  ASSERT_EQ(crls->size(), 1u);
  EXPECT_EQ((*crls)[0]->this_update(), TestNow());
}

TEST_F(CrlTest, SignatureStillVerifiesAfterParse) {
  // Parse() pre-sorts the revoked list; the signed encoding must be unaffected.
  std::vector<std::pair<std::string, absl::Time>> entries = {
      {"FFFF", TestNow()}, {"01", TestNow()}, {"0100", TestNow()}, {"02", TestNow()}};
  auto crls = Crl::Parse(CertFactory::CrlPem(pki_->intermediate, entries, TestNow(), TestNow() + absl::Hours(1)));
  ASSERT_TRUE(crls.ok());
  auto issuer = Certificate::FromDer(pki_->intermediate.der());
  ASSERT_TRUE(issuer.ok());
  EXPECT_EQ(X509_CRL_verify((*crls)[0]->raw(), X509_get0_pubkey((*issuer)->raw())), 1);
}

TEST_F(CrlTest, Refused) {
  std::string pem = CertFactory::CrlPem(pki_->intermediate, {}, TestNow(), TestNow());
  std::string der = PemToDer(pem);
  for (const std::string& input :
       {std::string(), std::string("garbage"), der.substr(0, der.size() - 1), der + '\0', pki_->leaf.pem(),
        pki_->leaf.der(), std::string("-----BEGIN X509 CRL-----\n!!!!\n-----END X509 CRL-----\n")}) {
    auto crls = Crl::Parse(input);
    EXPECT_EQ(crls.status().code(), absl::StatusCode::kInvalidArgument) << input.size();
  }
}

}  // namespace
}  // namespace certguard::x509
