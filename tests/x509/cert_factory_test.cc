// Checks the test PKI generator with raw OpenSSL, independently of the x509 module.
#include "tests/testing/cert_factory.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "absl/strings/escaping.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "server/x509/openssl_ptr.h"

namespace certguard::testing {
namespace {

using ::certguard::x509::BignumPtr;
using ::certguard::x509::BioPtr;
using ::certguard::x509::EvpPkeyPtr;
using ::certguard::x509::X509CrlPtr;
using ::certguard::x509::X509Ptr;
using ::certguard::x509::X509StoreCtxPtr;
using ::certguard::x509::X509StorePtr;

X509Ptr ParseDer(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_NE(cert, nullptr);
  EXPECT_EQ(p, reinterpret_cast<const unsigned char*>(der.data()) + der.size());
  return cert;
}

X509Ptr ParsePem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

EvpPkeyPtr ParseKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string NameEntry(X509_NAME* name, int nid) {
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return "";
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

std::string OctetHex(const ASN1_OCTET_STRING* s) {
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                                  static_cast<size_t>(ASN1_STRING_length(s))));
}

int CompareTime(const ASN1_TIME* t, absl::Time want) { return ASN1_TIME_cmp_time_t(t, absl::ToTimeT(want)); }

TEST(CertFactoryTest, FixedTimes) {
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S", TestNow(), absl::UTCTimeZone()), "2026-06-01T00:00:00");
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S", TestNotBefore(), absl::UTCTimeZone()), "2025-01-01T00:00:00");
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S", TestNotAfter(), absl::UTCTimeZone()), "2035-01-01T00:00:00");
}

TEST(CertFactoryTest, SelfSignedCaHasRequestedFields) {
  CertSpec spec;
  spec.cn = "Root";
  spec.subject_extra = {{"O", "Contoso"}, {"OU", "Payments"}};
  spec.is_ca = true;
  spec.path_len = 2;
  spec.serial_hex = "0A1B2C";
  spec.not_before = absl::FromUnixSeconds(1700000000);
  spec.not_after = absl::FromUnixSeconds(1900000000);
  TestCert cert = CertFactory::SelfSigned(spec);
  X509Ptr x = ParseDer(cert.der());
  ASSERT_NE(x, nullptr);

  EXPECT_EQ(X509_get_version(x.get()), 2);
  EXPECT_EQ(NameEntry(X509_get_subject_name(x.get()), NID_commonName), "Root");
  EXPECT_EQ(NameEntry(X509_get_subject_name(x.get()), NID_organizationName), "Contoso");
  EXPECT_EQ(NameEntry(X509_get_subject_name(x.get()), NID_organizationalUnitName), "Payments");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x.get()), X509_get_issuer_name(x.get())), 0);
  EXPECT_EQ(cert.serial_hex(), "0A1B2C");
  EXPECT_EQ(CompareTime(X509_get0_notBefore(x.get()), spec.not_before), 0);
  EXPECT_EQ(CompareTime(X509_get0_notAfter(x.get()), spec.not_after), 0);

  // basicConstraints critical, CA, pathLen 2.
  int crit = -1;
  BASIC_CONSTRAINTS* bc =
      static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(x.get(), NID_basic_constraints, &crit, nullptr));
  ASSERT_NE(bc, nullptr);
  EXPECT_EQ(crit, 1);
  EXPECT_TRUE(bc->ca);
  ASSERT_NE(bc->pathlen, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(bc->pathlen), 2);
  BASIC_CONSTRAINTS_free(bc);

  // Default CA key usage.
  EXPECT_EQ(X509_get_key_usage(x.get()), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_EQ(X509_get_extension_flags(x.get()) & EXFLAG_XKUSAGE, 0u);
  // SKI present, no AKI on a self-signed certificate.
  EXPECT_NE(X509_get0_subject_key_id(x.get()), nullptr);
  EXPECT_EQ(X509_get0_authority_key_id(x.get()), nullptr);

  // Signed by its own key, which is the one in key_pem().
  EvpPkeyPtr key = ParseKey(cert.key_pem());
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(x.get(), key.get()), 1);
  EXPECT_EQ(X509_verify(x.get(), X509_get0_pubkey(x.get())), 1);
  EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_EC);
}

TEST(CertFactoryTest, RandomSerialIsPositiveSixteenBytes) {
  TestCert a = CertFactory::SelfSigned(CertSpec{});
  TestCert b = CertFactory::SelfSigned(CertSpec{});
  X509Ptr x = ParseDer(a.der());
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x.get());
  EXPECT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER);  // not V_ASN1_NEG_INTEGER
  EXPECT_EQ(ASN1_STRING_length(serial), 16);
  EXPECT_EQ(a.serial_hex().size(), 32u);
  EXPECT_NE(a.serial_hex(), b.serial_hex());
}

TEST(CertFactoryTest, IssuedLeafHasExtensionsAndVerifies) {
  TestPki pki = MakePki(KeySpec::Ec(), "client.example.com");
  CertSpec spec;
  spec.cn = "leaf";
  spec.eku = {"clientAuth",   "serverAuth",  "codeSigning",         "emailProtection",
              "timeStamping", "OCSPSigning", "anyExtendedKeyUsage", "1.3.6.1.4.1.99999.1"};
  spec.key_usage = {"digitalSignature", "keyAgreement"};
  spec.san_dns = {"a.example.com", "b.example.com"};
  spec.san_uri = {"spiffe://example.com/x,y"};
  spec.san_email = {"user@example.com"};
  spec.san_ip = {"192.0.2.7", "2001:db8::1"};
  spec.crl_distribution_point = "http://crl.example.com/i.crl";
  spec.ocsp_url = "http://ocsp.example.com";
  TestCert leaf = CertFactory::Issue(spec, pki.intermediate);
  X509Ptr x = ParseDer(leaf.der());
  X509Ptr issuer = ParseDer(pki.intermediate.der());
  ASSERT_NE(x, nullptr);
  ASSERT_NE(issuer, nullptr);

  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(x.get()), X509_get_subject_name(issuer.get())), 0);
  EXPECT_EQ(X509_verify(x.get(), X509_get0_pubkey(issuer.get())), 1);
  EXPECT_EQ(X509_check_issued(issuer.get(), x.get()), X509_V_OK);

  int crit = -1;
  BASIC_CONSTRAINTS* bc =
      static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(x.get(), NID_basic_constraints, &crit, nullptr));
  ASSERT_NE(bc, nullptr);
  EXPECT_EQ(crit, 1);
  EXPECT_FALSE(bc->ca);
  BASIC_CONSTRAINTS_free(bc);

  EXPECT_EQ(X509_get_key_usage(x.get()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT));
  int ku_index = X509_get_ext_by_NID(x.get(), NID_key_usage, -1);
  ASSERT_GE(ku_index, 0);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(x.get(), ku_index)), 1);
  EXPECT_EQ(X509_get_extended_key_usage(x.get()) & (XKU_SSL_CLIENT | XKU_SSL_SERVER | XKU_CODE_SIGN | XKU_SMIME |
                                                    XKU_TIMESTAMP | XKU_OCSP_SIGN | XKU_ANYEKU),
            static_cast<uint32_t>(XKU_SSL_CLIENT | XKU_SSL_SERVER | XKU_CODE_SIGN | XKU_SMIME | XKU_TIMESTAMP |
                                  XKU_OCSP_SIGN | XKU_ANYEKU));
  EXTENDED_KEY_USAGE* eku =
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(x.get(), NID_ext_key_usage, nullptr, nullptr));
  ASSERT_NE(eku, nullptr);
  ASSERT_EQ(sk_ASN1_OBJECT_num(eku), 8);
  char oid[80];
  OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, 7), 1);
  EXPECT_STREQ(oid, "1.3.6.1.4.1.99999.1");
  sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);

  GENERAL_NAMES* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x.get(), NID_subject_alt_name, nullptr, nullptr));
  ASSERT_NE(sans, nullptr);
  std::vector<std::string> got;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* gen = sk_GENERAL_NAME_value(sans, i);
    int type = 0;
    const ASN1_STRING* s = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(gen, &type));
    std::string value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                      static_cast<size_t>(ASN1_STRING_length(s)));
    if (type == GEN_IPADD) value = absl::BytesToHexString(value);
    got.push_back(std::to_string(type) + ":" + value);
  }
  GENERAL_NAMES_free(sans);
  std::vector<std::string> want = {
      std::to_string(GEN_DNS) + ":a.example.com",
      std::to_string(GEN_DNS) + ":b.example.com",
      std::to_string(GEN_URI) + ":spiffe://example.com/x,y",
      std::to_string(GEN_EMAIL) + ":user@example.com",
      std::to_string(GEN_IPADD) + ":c0000207",
      std::to_string(GEN_IPADD) + ":20010db8000000000000000000000001",
  };
  EXPECT_EQ(got, want);

  // AKI of the leaf = SKI of the issuer.
  ASSERT_NE(X509_get0_authority_key_id(x.get()), nullptr);
  EXPECT_EQ(OctetHex(X509_get0_authority_key_id(x.get())), OctetHex(X509_get0_subject_key_id(issuer.get())));

  EXPECT_GE(X509_get_ext_by_NID(x.get(), NID_crl_distribution_points, -1), 0);
  AUTHORITY_INFO_ACCESS* aia =
      static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(x.get(), NID_info_access, nullptr, nullptr));
  ASSERT_NE(aia, nullptr);
  ASSERT_EQ(sk_ACCESS_DESCRIPTION_num(aia), 1);
  EXPECT_EQ(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, 0)->method), NID_ad_OCSP);
  AUTHORITY_INFO_ACCESS_free(aia);
}

TEST(CertFactoryTest, OmittedExtensions) {
  CertSpec spec;
  spec.basic_constraints = false;
  spec.omit_key_usage = true;
  spec.subject_key_id = false;
  TestCert root = CertFactory::SelfSigned([] {
    CertSpec ca;
    ca.is_ca = true;
    return ca;
  }());
  spec.authority_key_id = false;
  X509Ptr x = ParseDer(CertFactory::Issue(spec, root).der());
  EXPECT_EQ(X509_get_ext_count(x.get()), 0);

  CertSpec v1;
  v1.version = 1;
  v1.eku = {"clientAuth"};  // ignored: v1 has no extensions
  X509Ptr y = ParseDer(CertFactory::SelfSigned(v1).der());
  EXPECT_EQ(X509_get_version(y.get()), 0);
  EXPECT_EQ(X509_get_ext_count(y.get()), 0);
}

struct KeyCase {
  KeySpec key;
  std::string digest;
  int want_key_id;
  int want_bits;
  int want_sig_nid;
};

void PrintTo(const KeyCase& c, std::ostream* os) {
  *os << static_cast<int>(c.key.type) << "/" << c.key.rsa_bits << "/" << c.key.curve << "/" << c.digest;
}

class CertFactoryKeyTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(CertFactoryKeyTest, KeyAndSignatureAlgorithm) {
  const KeyCase& c = GetParam();
  CertSpec spec;
  spec.key = c.key;
  spec.digest = c.digest;
  X509Ptr x = ParseDer(CertFactory::SelfSigned(spec).der());
  ASSERT_NE(x, nullptr);
  EVP_PKEY* pub = X509_get0_pubkey(x.get());
  EXPECT_EQ(EVP_PKEY_get_base_id(pub), c.want_key_id);
  EXPECT_EQ(EVP_PKEY_get_bits(pub), c.want_bits);
  EXPECT_EQ(X509_get_signature_nid(x.get()), c.want_sig_nid);
  EXPECT_EQ(X509_verify(x.get(), pub), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Keys, CertFactoryKeyTest,
    ::testing::Values(KeyCase{KeySpec::Rsa(2048), "sha256", EVP_PKEY_RSA, 2048, NID_sha256WithRSAEncryption},
                      KeyCase{KeySpec::Rsa(1024), "sha1", EVP_PKEY_RSA, 1024, NID_sha1WithRSAEncryption},
                      KeyCase{KeySpec::Ec("prime256v1"), "sha256", EVP_PKEY_EC, 256, NID_ecdsa_with_SHA256},
                      KeyCase{KeySpec::Ec("secp384r1"), "sha384", EVP_PKEY_EC, 384, NID_ecdsa_with_SHA384},
                      KeyCase{KeySpec::Ed25519(), "sha256", EVP_PKEY_ED25519, 256, NID_ED25519}));

TEST(CertFactoryTest, EncodingsAgree) {
  TestCert cert = CertFactory::SelfSigned(CertSpec{});
  X509Ptr from_pem = ParsePem(cert.pem());
  ASSERT_NE(from_pem, nullptr);
  unsigned char* der = nullptr;
  int len = i2d_X509(from_pem.get(), &der);
  ASSERT_GT(len, 0);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(der), static_cast<size_t>(len)), cert.der());
  OPENSSL_free(der);

  std::string unescaped;
  ASSERT_TRUE(absl::Base64Unescape(cert.base64_der(), &unescaped));
  EXPECT_EQ(unescaped, cert.der());
  EXPECT_EQ(cert.base64_der().find('\n'), std::string::npos);

  std::string body = cert.pem_body();
  EXPECT_EQ(body.find("-----"), std::string::npos);
  EXPECT_NE(body.find('\n'), std::string::npos);
  EXPECT_EQ("-----BEGIN CERTIFICATE-----\n" + body + "-----END CERTIFICATE-----\n", cert.pem());

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  ASSERT_EQ(EVP_Digest(cert.der().data(), cert.der().size(), md, &md_len, EVP_sha256(), nullptr), 1);
  std::string hex = absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(md), md_len));
  for (char& ch : hex) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(cert.sha256_hex(), hex);
  EXPECT_EQ(cert.sha1_hex().size(), 40u);
}

TEST(CertFactoryTest, MakePkiVerifiesWithOpenSsl) {
  for (const KeySpec& key : {KeySpec::Ec(), KeySpec::Rsa(2048)}) {
    TestPki pki = MakePki(key, "svc.example.com");
    X509Ptr root = ParseDer(pki.root.der());
    X509Ptr inter = ParseDer(pki.intermediate.der());
    X509Ptr leaf = ParseDer(pki.leaf.der());
    X509StorePtr store(X509_STORE_new());
    ASSERT_EQ(X509_STORE_add_cert(store.get(), root.get()), 1);
    STACK_OF(X509)* chain = sk_X509_new_null();
    sk_X509_push(chain, inter.get());
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    ASSERT_EQ(X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), chain), 1);
    X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(TestNow()));
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_X509_STRICT);
    EXPECT_EQ(X509_verify_cert(ctx.get()), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    sk_X509_free(chain);
    EXPECT_EQ(NameEntry(X509_get_subject_name(leaf.get()), NID_commonName), "svc.example.com");
    EXPECT_EQ(X509_get_extended_key_usage(leaf.get()), static_cast<uint32_t>(XKU_SSL_CLIENT));
  }
}

TEST(CertFactoryTest, CrlHasRevokedEntriesAndIssuerSignature) {
  TestPki pki = MakePki();
  absl::Time revoked_at = TestNow() - absl::Hours(48);
  std::string pem = CertFactory::CrlPem(pki.intermediate, {{"0102", revoked_at}, {"FF", TestNow()}},
                                        TestNow() - absl::Hours(24), TestNow() + absl::Hours(24));
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_NE(crl, nullptr);
  X509Ptr issuer = ParseDer(pki.intermediate.der());
  EXPECT_EQ(X509_CRL_get_version(crl.get()), 1);  // v2
  EXPECT_EQ(X509_CRL_verify(crl.get(), X509_get0_pubkey(issuer.get())), 1);
  X509Ptr root = ParseDer(pki.root.der());
  EXPECT_NE(X509_CRL_verify(crl.get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer.get())), 0);
  EXPECT_EQ(CompareTime(X509_CRL_get0_lastUpdate(crl.get()), TestNow() - absl::Hours(24)), 0);
  EXPECT_EQ(CompareTime(X509_CRL_get0_nextUpdate(crl.get()), TestNow() + absl::Hours(24)), 0);

  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  ASSERT_EQ(sk_X509_REVOKED_num(revoked), 2);
  bool found = false;
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    const X509_REVOKED* entry = sk_X509_REVOKED_value(revoked, i);
    if (ASN1_INTEGER_get(X509_REVOKED_get0_serialNumber(entry)) != 0x0102) continue;
    found = true;
    EXPECT_EQ(CompareTime(X509_REVOKED_get0_revocationDate(entry), revoked_at), 0);
  }
  EXPECT_TRUE(found);

  AUTHORITY_KEYID* aki =
      static_cast<AUTHORITY_KEYID*>(X509_CRL_get_ext_d2i(crl.get(), NID_authority_key_identifier, nullptr, nullptr));
  ASSERT_NE(aki, nullptr);
  EXPECT_EQ(OctetHex(aki->keyid), OctetHex(X509_get0_subject_key_id(issuer.get())));
  AUTHORITY_KEYID_free(aki);

  std::string no_next = CertFactory::CrlPem(pki.root, {}, TestNow(), absl::InfiniteFuture());
  BioPtr bio2(BIO_new_mem_buf(no_next.data(), static_cast<int>(no_next.size())));
  X509CrlPtr crl2(PEM_read_bio_X509_CRL(bio2.get(), nullptr, nullptr, nullptr));
  ASSERT_NE(crl2, nullptr);
  EXPECT_EQ(X509_CRL_get0_nextUpdate(crl2.get()), nullptr);
  EXPECT_LE(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl2.get())), 0);  // NULL stack when empty
}

TEST(CertFactoryTest, TempDirAndWriteFile) {
  std::string a = MakeTempDir("cf");
  std::string b = MakeTempDir("cf");
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::filesystem::is_directory(a));
  EXPECT_TRUE(std::filesystem::is_empty(a));
  std::string path = a + "/nested/dir/file.pem";
  WriteFile(path, std::string("x\0y", 3));
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), std::string("x\0y", 3));
}

}  // namespace
}  // namespace certguard::testing
