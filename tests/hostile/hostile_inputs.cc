#include "tests/hostile/hostile_inputs.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "absl/strings/escaping.h"
#include "client/common/percent_encode.h"

namespace certguard::hostile {
namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "hostile_inputs: %s failed\n", what);
  std::abort();
}

EVP_PKEY* RsaPublicKey(int bits, int exponent_bits) {
  BIGNUM* n = BN_new();
  BIGNUM* e = BN_new();
  Check(BN_rand(n, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1, "BN_rand");
  if (exponent_bits > 0) {
    Check(BN_rand(e, exponent_bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1, "BN_rand e");
  } else {
    Check(BN_set_word(e, 65537) == 1, "BN_set_word");
  }
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  Check(OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n) == 1, "push n");
  Check(OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e) == 1, "push e");
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* key = nullptr;
  Check(EVP_PKEY_fromdata_init(ctx) == 1, "fromdata_init");
  Check(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1, "fromdata");
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(builder);
  BN_free(n);
  BN_free(e);
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

}  // namespace

std::string CertWithRsaModulusBits(int bits, const testing::TestCert& issuer, int exponent_bits) {
  BIO* bio = BIO_new_mem_buf(issuer.key_pem().data(), static_cast<int>(issuer.key_pem().size()));
  EVP_PKEY* issuer_key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  Check(issuer_key != nullptr, "issuer key");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(issuer.der().data());
  X509* issuer_cert = d2i_X509(nullptr, &p, static_cast<long>(issuer.der().size()));
  Check(issuer_cert != nullptr, "issuer cert");

  EVP_PKEY* key = RsaPublicKey(bits, exponent_bits);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 0x4242);
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("app.contoso.com"), -1,
                             -1, 0);
  X509_set_subject_name(cert, name);
  X509_NAME_free(name);
  X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));
  ASN1_TIME_set_string_X509(X509_getm_notBefore(cert), "19700101000000Z");
  ASN1_TIME_set_string_X509(X509_getm_notAfter(cert), "99991231235959Z");
  Check(X509_set_pubkey(cert, key) == 1, "set_pubkey");
  AddExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert, issuer_cert, NID_key_usage, "critical,digitalSignature");
  AddExtension(cert, issuer_cert, NID_ext_key_usage, "clientAuth");
  AddExtension(cert, issuer_cert, NID_subject_key_identifier, "hash");
  AddExtension(cert, issuer_cert, NID_authority_key_identifier, "keyid:always");
  AddExtension(cert, issuer_cert, NID_subject_alt_name, "DNS:app.contoso.com");
  Check(X509_sign(cert, issuer_key, EVP_sha256()) > 0, "sign");

  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  Check(length > 0, "i2d_X509");
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  X509_free(cert);
  X509_free(issuer_cert);
  EVP_PKEY_free(key);
  EVP_PKEY_free(issuer_key);
  return out;
}

std::string Tlv(unsigned char tag, const std::string& content) {
  std::string out(1, static_cast<char>(tag));
  const size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else {
    std::string length;
    for (size_t v = n; v > 0; v >>= 8) length.insert(length.begin(), static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(0x80 | length.size()));
    out += length;
  }
  return out + content;
}

std::string NestedSequences(size_t depth, const std::string& inner) {
  std::string out = inner;
  for (size_t i = 0; i < depth; ++i) out = Tlv(0x30, out);
  return out;
}

std::string Base64(const std::string& bytes) { return absl::Base64Escape(bytes); }

std::string Pem(const std::string& der) {
  const std::string body = Base64(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < body.size(); i += 64) out += body.substr(i, 64) + "\n";
  return out + "-----END CERTIFICATE-----\n";
}

std::string PercentEncode(const std::string& text) { return client::PercentEncodeAll(text); }

}  // namespace certguard::hostile
