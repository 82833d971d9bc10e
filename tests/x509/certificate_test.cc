#include "server/x509/certificate.h"

#include <cctype>
#include <functional>
#include <string>
#include <vector>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/x509/openssl_ptr.h"
#include "tests/testing/cert_factory.h"
#include "tests/x509/x509_test_util.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::KeySpec;
using ::certguard::testing::MakePki;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNotAfter;
using ::certguard::testing::TestNotBefore;
using ::certguard::testing::TestPki;
using ::certguard::x509::testing::Parse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Independent computations with raw OpenSSL, not through the code under test.
std::string Digest(const std::string& data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out, &len, md, nullptr), 1);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string UpperHex(const std::string& bytes) {
  std::string hex = absl::BytesToHexString(bytes);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

std::string SpkiSha256Base64(const std::string& cert_der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(cert_der.data());
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
  EXPECT_NE(x, nullptr);
  unsigned char* spki = nullptr;
  int len = i2d_PUBKEY(X509_get0_pubkey(x.get()), &spki);  // SubjectPublicKeyInfo
  std::string der(reinterpret_cast<char*>(spki), static_cast<size_t>(len));
  OPENSSL_free(spki);
  std::string digest = Digest(der, EVP_sha256());
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, reinterpret_cast<const unsigned char*>(digest.data()), static_cast<int>(digest.size()));
  return std::string(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
}

TEST(CertificateTest, IdentityFields) {
  TestPki pki = MakePki(KeySpec::Ec());
  CertSpec spec;
  spec.cn = "client, \"one\"";
  spec.subject_extra = {{"C", "US"}, {"O", "Contoso"}, {"OU", "Payments"}, {"OU", "Team+2"}};
  spec.serial_hex = "00ABCDEF";
  spec.eku = {"clientAuth", "serverAuth", "1.3.6.1.4.1.99999.7"};
  spec.key_usage = {"digitalSignature", "keyAgreement"};
  spec.san_dns = {"a.example.com", "*.b.example.com"};
  spec.san_uri = {"spiffe://example.com/ns/prod/sa/payments"};
  spec.san_email = {"ops@example.com"};
  spec.san_ip = {"192.0.2.10", "2001:db8::1", "::ffff:198.51.100.1"};
  TestCert leaf = CertFactory::Issue(spec, pki.intermediate);
  auto cert = Certificate::FromDer(leaf.der());
  ASSERT_TRUE(cert.ok()) << cert.status();
  const CertificateInfo& info = (*cert)->info();

  EXPECT_EQ(info.version, 3);
  EXPECT_EQ(info.subject_dn, "CN=client\\, \\\"one\\\",OU=Team\\+2,OU=Payments,O=Contoso,C=US");
  EXPECT_EQ(info.issuer_dn, "CN=Test Intermediate CA,O=certguard tests");
  EXPECT_EQ(info.subject_cn, "client, \"one\"");
  EXPECT_EQ(info.issuer_cn, "Test Intermediate CA");
  EXPECT_THAT(info.subject_o, ElementsAre("Contoso"));
  EXPECT_THAT(info.subject_ou, ElementsAre("Payments", "Team+2"));
  EXPECT_THAT(info.issuer_o, ElementsAre("certguard tests"));
  EXPECT_THAT(info.issuer_ou, IsEmpty());
  EXPECT_EQ(info.serial_hex, "ABCDEF");
  EXPECT_EQ(info.serial_hex, leaf.serial_hex());

  EXPECT_EQ(info.sha256_hex, UpperHex(Digest(leaf.der(), EVP_sha256())));
  EXPECT_EQ(info.sha1_hex, UpperHex(Digest(leaf.der(), EVP_sha1())));
  EXPECT_EQ(info.sha256_hex.size(), 64u);
  EXPECT_EQ(info.sha1_hex.size(), 40u);
  EXPECT_EQ(info.spki_sha256_base64, SpkiSha256Base64(leaf.der()));
  EXPECT_EQ(info.spki_sha256_base64.size(), 44u);

  EXPECT_EQ(info.not_before, TestNotBefore());
  EXPECT_EQ(info.not_after, TestNotAfter());

  EXPECT_EQ(info.key_algorithm, "EC");
  EXPECT_EQ(info.key_bits, 256);
  EXPECT_EQ(info.key_curve, "prime256v1");
  EXPECT_EQ(info.signature_algorithm, "ecdsa-with-SHA256");
  EXPECT_EQ(info.signature_digest, "sha256");

  EXPECT_THAT(info.sans.dns, ElementsAre("a.example.com", "*.b.example.com"));
  EXPECT_THAT(info.sans.uri, ElementsAre("spiffe://example.com/ns/prod/sa/payments"));
  EXPECT_THAT(info.sans.email, ElementsAre("ops@example.com"));
  EXPECT_THAT(info.sans.ip, ElementsAre("192.0.2.10", "2001:db8::1", "::ffff:198.51.100.1"));

  EXPECT_FALSE(info.is_ca);
  EXPECT_EQ(info.path_len, -1);
  EXPECT_TRUE(info.has_key_usage);
  EXPECT_EQ(info.key_usage, kDigitalSignature | kKeyAgreement);
  EXPECT_TRUE(info.has_eku);
  EXPECT_THAT(info.eku_oids, ElementsAre("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1", "1.3.6.1.4.1.99999.7"));
  EXPECT_FALSE(info.self_issued);
  EXPECT_FALSE((*cert)->self_signed());

  EXPECT_EQ((*cert)->der(), leaf.der());
  EXPECT_NE((*cert)->raw(), nullptr);
}

TEST(CertificateTest, CaFieldsAndSelfSigned) {
  TestPki pki = MakePki(KeySpec::Ec("secp384r1"));
  auto root = Certificate::FromDer(pki.root.der());
  auto inter = Certificate::FromDer(pki.intermediate.der());
  ASSERT_TRUE(root.ok() && inter.ok());
  EXPECT_TRUE((*root)->info().is_ca);
  EXPECT_EQ((*root)->info().path_len, -1);
  EXPECT_EQ((*root)->info().key_usage, kKeyCertSign | kCrlSign);
  EXPECT_FALSE((*root)->info().has_eku);
  EXPECT_TRUE((*root)->info().self_issued);
  EXPECT_TRUE((*root)->self_signed());
  EXPECT_EQ((*root)->info().key_curve, "secp384r1");
  EXPECT_EQ((*root)->info().key_bits, 384);
  EXPECT_TRUE((*inter)->info().is_ca);
  EXPECT_EQ((*inter)->info().path_len, 0);
  EXPECT_FALSE((*inter)->info().self_issued);
  EXPECT_FALSE((*inter)->self_signed());
}

TEST(CertificateTest, SelfIssuedButNotSelfSigned) {
  CertSpec ca_spec;
  ca_spec.cn = "Same Name";
  ca_spec.is_ca = true;
  TestCert ca = CertFactory::SelfSigned(ca_spec);
  CertSpec spec;
  spec.cn = "Same Name";  // subject == issuer, but signed by the CA's key
  auto cert = Certificate::FromDer(CertFactory::Issue(spec, ca).der());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_TRUE((*cert)->info().self_issued);
  EXPECT_FALSE((*cert)->self_signed());
}

TEST(CertificateTest, AllKeyUsageBits) {
  CertSpec spec;
  spec.key_usage = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
                    "keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly"};
  spec.is_ca = true;
  auto cert = Certificate::FromDer(CertFactory::SelfSigned(spec).der());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ((*cert)->info().key_usage, 0x1FFu);

  CertSpec none;
  none.omit_key_usage = true;
  auto without = Certificate::FromDer(CertFactory::SelfSigned(none).der());
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE((*without)->info().has_key_usage);
  EXPECT_EQ((*without)->info().key_usage, 0u);
}

TEST(CertificateTest, VersionOneCertificate) {
  CertSpec spec;
  spec.version = 1;
  spec.cn = "v1";
  auto cert = Certificate::FromDer(CertFactory::SelfSigned(spec).der());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ((*cert)->info().version, 1);
  EXPECT_FALSE((*cert)->info().is_ca);
  EXPECT_FALSE((*cert)->info().has_key_usage);
  EXPECT_FALSE((*cert)->info().has_eku);
  EXPECT_TRUE((*cert)->self_signed());
}

TEST(CertificateTest, SerialFormatting) {
  struct SerialCase {
    std::string spec;
    std::string want;
  };
  for (const SerialCase& c :
       std::vector<SerialCase>{{"01", "01"},
                               {"7F", "7F"},
                               {"80", "80"},
                               {"0A1B", "0A1B"},
                               {"00FF", "FF"},
                               {"0", "00"},
                               {"DEADBEEFDEADBEEFDEADBEEFDEADBEEF", "DEADBEEFDEADBEEFDEADBEEFDEADBEEF"}}) {
    CertSpec spec;
    spec.serial_hex = c.spec;
    auto cert = Certificate::FromDer(CertFactory::SelfSigned(spec).der());
    ASSERT_TRUE(cert.ok()) << cert.status();
    EXPECT_EQ((*cert)->info().serial_hex, c.want) << c.spec;
  }
}

struct AlgCase {
  std::string name;
  KeySpec key;
  std::string digest;
  std::string want_alg;
  int want_bits;
  std::string want_curve;
  std::string want_sig;
  std::string want_digest;
};

void PrintTo(const AlgCase& c, std::ostream* os) { *os << c.name; }

class CertificateAlgTest : public ::testing::TestWithParam<AlgCase> {};

TEST_P(CertificateAlgTest, KeyAndSignature) {
  const AlgCase& c = GetParam();
  CertSpec spec;
  spec.key = c.key;
  spec.digest = c.digest;
  auto cert = Certificate::FromDer(CertFactory::SelfSigned(spec).der());
  ASSERT_TRUE(cert.ok()) << cert.status();
  const CertificateInfo& info = (*cert)->info();
  EXPECT_EQ(info.key_algorithm, c.want_alg);
  EXPECT_EQ(info.key_bits, c.want_bits);
  EXPECT_EQ(info.key_curve, c.want_curve);
  EXPECT_EQ(info.signature_algorithm, c.want_sig);
  EXPECT_EQ(info.signature_digest, c.want_digest);
  EXPECT_TRUE((*cert)->self_signed());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, CertificateAlgTest,
                         ::testing::Values(AlgCase{"rsa2048_sha256", KeySpec::Rsa(2048), "sha256", "RSA", 2048, "",
                                                   "sha256WithRSAEncryption", "sha256"},
                                           AlgCase{"rsa1024_sha1", KeySpec::Rsa(1024), "sha1", "RSA", 1024, "",
                                                   "sha1WithRSAEncryption", "sha1"},
                                           AlgCase{"p256_sha256", KeySpec::Ec("prime256v1"), "sha256", "EC", 256,
                                                   "prime256v1", "ecdsa-with-SHA256", "sha256"},
                                           AlgCase{"p384_sha384", KeySpec::Ec("secp384r1"), "sha384", "EC", 384,
                                                   "secp384r1", "ecdsa-with-SHA384", "sha384"},
                                           AlgCase{"ed25519", KeySpec::Ed25519(), "", "ED25519", 256, "", "ED25519",
                                                   ""}),
                         [](const ::testing::TestParamInfo<AlgCase>& info) { return info.param.name; });

// Re-encodes `der` with the outer SEQUENCE length in a non-minimal long form.
std::string NonMinimalOuterLength(const std::string& der) {
  // Factory certificates are 256..65535 bytes: 30 82 HH LL.
  EXPECT_EQ(static_cast<unsigned char>(der[1]), 0x82);
  std::string out = "\x30\x83";
  out.push_back('\0');
  out.append(der.substr(2));
  return out;
}

struct MalformedCase {
  std::string name;
  std::function<std::string(const std::string& good_der)> make;
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class CertificateMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(CertificateMalformedTest, RefusedWithInvalidArgument) {
  static const std::string* good = new std::string(CertFactory::SelfSigned(CertSpec{}).der());
  auto cert = Certificate::FromDer(GetParam().make(*good));
  ASSERT_FALSE(cert.ok());
  EXPECT_EQ(cert.status().code(), absl::StatusCode::kInvalidArgument) << cert.status();
}

INSTANTIATE_TEST_SUITE_P(
    Table, CertificateMalformedTest,
    ::testing::Values(
        MalformedCase{"empty", [](const std::string&) { return std::string(); }},
        MalformedCase{"garbage", [](const std::string&) { return std::string("hello world"); }},
        MalformedCase{"truncated_by_one", [](const std::string& d) { return d.substr(0, d.size() - 1); }},
        MalformedCase{"truncated_half", [](const std::string& d) { return d.substr(0, d.size() / 2); }},
        MalformedCase{"header_only", [](const std::string& d) { return d.substr(0, 4); }},
        MalformedCase{"trailing_zero_byte", [](const std::string& d) { return d + '\0'; }},
        MalformedCase{"two_certificates", [](const std::string& d) { return d + d; }},
        MalformedCase{"non_minimal_length", NonMinimalOuterLength},
        MalformedCase{"pem_not_der",
                      [](const std::string& d) {
                        return "-----BEGIN CERTIFICATE-----\n" + absl::Base64Escape(d) +
                               "\n-----END CERTIFICATE-----\n";
                      }},
        MalformedCase{"oversized", [](const std::string& d) { return d + std::string(kMaxCertificateDerBytes, 'x'); }}),
    [](const ::testing::TestParamInfo<MalformedCase>& info) { return info.param.name; });

TEST(CertificateTest, EmbeddedNulInNamesRefused) {
  CertSpec cn_spec;
  cn_spec.cn = std::string("good.example.com\0.evil.example", 30);
  auto cn = Certificate::FromDer(CertFactory::SelfSigned(cn_spec).der());
  EXPECT_EQ(cn.status().code(), absl::StatusCode::kInvalidArgument);

  CertSpec san_spec;
  san_spec.san_dns = {std::string("good.example.com\0.evil.example", 30)};
  auto san = Certificate::FromDer(CertFactory::SelfSigned(san_spec).der());
  EXPECT_EQ(san.status().code(), absl::StatusCode::kInvalidArgument);
}

// An RSA public key with the given modulus size. The modulus is random (not a product of
// primes): good enough to be carried in a certificate, never used to verify anything.
EvpPkeyPtr FakeRsaPublicKey(int bits) {
  std::vector<unsigned char> n(static_cast<size_t>(bits / 8));
  EXPECT_EQ(RAND_bytes(n.data(), static_cast<int>(n.size())), 1);
  n.front() |= 0x80;
  n.back() |= 0x01;
  BignumPtr bn_n(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
  BignumPtr bn_e(BN_new());
  BN_set_word(bn_e.get(), 65537);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  EXPECT_EQ(EVP_PKEY_fromdata_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params), 1);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return EvpPkeyPtr(key);
}

// A copy of `cert` (issued by `issuer`) carrying `key` instead, re-signed by the issuer.
std::string WithPublicKey(const TestCert& cert, const TestCert& issuer, EVP_PKEY* key, bool self_issued) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(cert.der().data());
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(cert.der().size())));
  EXPECT_EQ(X509_set_pubkey(x.get(), key), 1);
  if (self_issued) X509_set_issuer_name(x.get(), X509_get_subject_name(x.get()));
  BioPtr bio(BIO_new_mem_buf(issuer.key_pem().data(), static_cast<int>(issuer.key_pem().size())));
  EvpPkeyPtr issuer_key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  EXPECT_GT(X509_sign(x.get(), issuer_key.get(), EVP_sha256()), 0);
  unsigned char* der = nullptr;
  int len = i2d_X509(x.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

TEST(CertificateTest, GiantRsaKeyRefused) {
  TestPki pki = MakePki();
  CertSpec spec;
  spec.cn = "giant";
  TestCert base = CertFactory::Issue(spec, pki.intermediate);

  EvpPkeyPtr at_limit = FakeRsaPublicKey(kMaxPublicKeyBits);
  auto ok = Certificate::FromDer(WithPublicKey(base, pki.intermediate, at_limit.get(), false));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok)->info().key_algorithm, "RSA");
  EXPECT_EQ((*ok)->info().key_bits, kMaxPublicKeyBits);

  EvpPkeyPtr giant = FakeRsaPublicKey(kMaxPublicKeyBits + 8);
  for (bool self_issued : {false, true}) {
    auto refused = Certificate::FromDer(WithPublicKey(base, pki.intermediate, giant.get(), self_issued));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.status().message(), HasSubstr("16392 bits"));
  }
}

TEST(CertificateTest, SharedFromThisIsTheOwningPointer) {
  auto cert = Certificate::FromDer(CertFactory::SelfSigned(CertSpec{}).der());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)->shared_from_this(), *cert);
}

TEST(CertificatePemTest, Bundle) {
  TestPki pki = MakePki();
  std::string bundle =
      "junk before\n" + pki.leaf.pem() + pki.leaf.key_pem() + pki.intermediate.pem() + "\ntrailing junk\n";
  auto certs = Certificate::FromPemBundle(bundle);
  ASSERT_TRUE(certs.ok()) << certs.status();
  ASSERT_EQ(certs->size(), 2u);
  EXPECT_EQ((*certs)[0]->der(), pki.leaf.der());
  EXPECT_EQ((*certs)[1]->der(), pki.intermediate.der());
}

TEST(CertificatePemTest, Refused) {
  TestPki pki = MakePki();
  std::string broken_body = pki.leaf.pem();
  broken_body.replace(40, 4, "!!!!");
  std::string bad_der =
      "-----BEGIN CERTIFICATE-----\n" + absl::Base64Escape("not a cert") + "\n-----END CERTIFICATE-----\n";
  for (const std::string& input : {std::string(), std::string("no pem here"), pki.leaf.key_pem(), broken_body, bad_der,
                                   pki.leaf.pem() + bad_der}) {
    auto certs = Certificate::FromPemBundle(input);
    EXPECT_EQ(certs.status().code(), absl::StatusCode::kInvalidArgument) << input;
  }
}

}  // namespace
}  // namespace certguard::x509

namespace certguard::x509 {
namespace {

// RSA public exponents: 3 … 2^32 parse; above 2^32 (each signature check would cost
// milliseconds: the report's 3071-bit exponent took 6.5 ms) and below 3 are refused before any
// signature is checked.
TEST(CertificateKeyTest, RsaExponentBounds) {
  for (const char* ok : {"3", "65537", "4294967295"}) {  // 2^32 - 1
    CertSpec spec;
    spec.key = KeySpec::RsaWithExponent(1024, ok);
    EXPECT_TRUE(Certificate::FromDer(CertFactory::SelfSigned(spec).der()).ok()) << "e = " << ok;
  }
  for (const char* bad : {"4294967297", "340282366920938463463374607431768211457"}) {  // 2^32+1, 2^128+1
    CertSpec spec;
    spec.key = KeySpec::RsaWithExponent(1024, bad);
    auto cert = Certificate::FromDer(CertFactory::SelfSigned(spec).der());
    ASSERT_FALSE(cert.ok()) << "e = " << bad;
    EXPECT_THAT(cert.status().message(), HasSubstr("above 2^32"));
  }
}

// Parsing a self-issued certificate checks no signature: a certificate whose signature is
// broken parses, and only self_signed() (asked after the key rules) finds out.
TEST(CertificateKeyTest, ParsingChecksNoSignature) {
  CertSpec spec;
  spec.cn = "root";
  spec.is_ca = true;
  std::string der = CertFactory::SelfSigned(spec).der();
  der[der.size() - 1] ^= 0x01;  // the last byte of the signature
  auto cert = Certificate::FromDer(der);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_TRUE((*cert)->info().self_issued);
  EXPECT_FALSE((*cert)->self_signed());
}

}  // namespace
}  // namespace certguard::x509
