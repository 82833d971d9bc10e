#include "bench/common/bench_pki.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "client/common/percent_encode.h"

namespace certguard::bench {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "bench_pki: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

void Check(int ok, const char* what) {
  if (ok != 1) Die(what);
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) Die("X509V3_EXT_conf_nid");
  Check(X509_add_ext(cert, ext, -1), "X509_add_ext");
  X509_EXTENSION_free(ext);
}

struct Spec {
  std::string cn;
  bool ca = false;
  uint64_t serial = 1;
};

std::shared_ptr<X509> Make(const Spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  X509* cert = X509_new();
  if (cert == nullptr) Die("X509_new");
  Check(X509_set_version(cert, 2), "X509_set_version");
  BIGNUM* bn = BN_new();
  BN_set_word(bn, spec.serial);
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
  X509_set_serialNumber(cert, serial);
  ASN1_INTEGER_free(serial);
  BN_free(bn);
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("certguard bench"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1,
                             0);
  X509_set_subject_name(cert, name);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_NAME_free(name);
  ASN1_TIME_set(X509_getm_notBefore(cert), NotBefore());
  ASN1_TIME_set(X509_getm_notAfter(cert), NotAfter());
  Check(X509_set_pubkey(cert, key), "X509_set_pubkey");
  X509* signer = issuer != nullptr ? issuer : cert;
  AddExt(cert, signer, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) AddExt(cert, signer, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    AddExt(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(cert, signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExt(cert, signer, NID_key_usage, "critical,digitalSignature");
    AddExt(cert, signer, NID_ext_key_usage, "clientAuth");
    std::string san = "DNS:" + spec.cn;
    AddExt(cert, signer, NID_subject_alt_name, san.c_str());
  }
  if (X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) <= 0) Die("X509_sign");
  return std::shared_ptr<X509>(cert, X509_free);
}

std::string Base64(const std::string& der) {
  std::string out(4 * ((der.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(der.data()), static_cast<int>(der.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

bool ParseKeyType(const std::string& name, KeyType* type) {
  if (name == "rsa" || name == "rsa2048") {
    *type = KeyType::kRsa2048;
  } else if (name == "ec" || name == "p256" || name == "ecdsa") {
    *type = KeyType::kEcP256;
  } else {
    return false;
  }
  return true;
}

const char* KeyTypeName(KeyType type) { return type == KeyType::kRsa2048 ? "rsa2048" : "p256"; }

KeyPtr GenerateKey(KeyType type) {
  EVP_PKEY* key = type == KeyType::kRsa2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  if (key == nullptr) Die("key generation");
  return KeyPtr(key, EVP_PKEY_free);
}

std::time_t NotBefore() {
  static const std::time_t t = std::time(nullptr) - 24 * 3600;
  return t;
}
std::time_t NotAfter() {
  static const std::time_t t = std::time(nullptr) + 10LL * 365 * 24 * 3600;
  return t;
}

BenchCert BenchCert::Root(const std::string& cn, KeyPtr key) {
  BenchCert c;
  c.x509_ = Make({cn, true, 1}, key.get(), nullptr, nullptr);
  c.key_ = std::move(key);
  return c;
}

BenchCert BenchCert::Intermediate(const std::string& cn, KeyPtr key, const BenchCert& issuer) {
  BenchCert c;
  c.x509_ = Make({cn, true, 2}, key.get(), issuer.raw(), issuer.key().get());
  c.key_ = std::move(key);
  return c;
}

BenchCert BenchCert::Leaf(const std::string& cn, KeyPtr key, const BenchCert& issuer, uint64_t serial) {
  BenchCert c;
  c.x509_ = Make({cn, false, serial}, key.get(), issuer.raw(), issuer.key().get());
  c.key_ = std::move(key);
  return c;
}

std::string BenchCert::Der() const {
  unsigned char* buf = nullptr;
  int n = i2d_X509(x509_.get(), &buf);
  if (n <= 0) Die("i2d_X509");
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return der;
}

std::string BenchCert::Pem() const {
  const std::string b64 = Base64(Der());
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  pem += "-----END CERTIFICATE-----\n";
  return pem;
}

std::string BenchCert::Base64Der() const { return Base64(Der()); }

std::string UrlEncode(const std::string& in) { return client::PercentEncodeAll(in); }

void WriteFileOrDie(const std::string& path, const std::string& contents) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out.good()) {
    std::fprintf(stderr, "bench_pki: cannot write %s\n", path.c_str());
    std::abort();
  }
}

}  // namespace certguard::bench
