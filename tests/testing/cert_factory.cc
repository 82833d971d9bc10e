#include "tests/testing/cert_factory.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "server/x509/openssl_ptr.h"

namespace certguard::testing {

using ::certguard::x509::Asn1IntegerPtr;
using ::certguard::x509::Asn1OctetStringPtr;
using ::certguard::x509::Asn1TimePtr;
using ::certguard::x509::AuthorityKeyIdPtr;
using ::certguard::x509::BignumPtr;
using ::certguard::x509::BioPtr;
using ::certguard::x509::EvpPkeyCtxPtr;
using ::certguard::x509::EvpPkeyPtr;
using ::certguard::x509::GeneralNamesPtr;
using ::certguard::x509::X509CrlPtr;
using ::certguard::x509::X509ExtensionPtr;
using ::certguard::x509::X509Ptr;
using ::certguard::x509::X509RevokedPtr;

struct TestCert::Impl {
  X509Ptr x509;
  EvpPkeyPtr key;
};

namespace {

// The factory is test code: any failure is a bug in the test, so report it loudly and stop.
[[noreturn]] void Die(absl::string_view what) {
  std::fprintf(stderr, "cert_factory: %.*s\n", static_cast<int>(what.size()), what.data());
  ERR_print_errors_fp(stderr);
  ADD_FAILURE() << "cert_factory: " << what;
  std::abort();
}

void Check(bool ok, absl::string_view what) {
  if (!ok) Die(what);
}

absl::Time Utc(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 0, 0, 0), absl::UTCTimeZone());
}

EvpPkeyPtr GenerateKey(const KeySpec& spec) {
  const char* alg = spec.type == KeySpec::Type::kRsa ? "RSA" : spec.type == KeySpec::Type::kEc ? "EC" : "ED25519";
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, alg, nullptr));
  Check(ctx != nullptr, absl::StrCat("EVP_PKEY_CTX_new_from_name(", alg, ")"));
  Check(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init");
  if (spec.type == KeySpec::Type::kRsa) {
    Check(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), spec.rsa_bits) == 1, absl::StrCat("RSA bits ", spec.rsa_bits));
    if (!spec.rsa_exponent.empty()) {
      BIGNUM* e = nullptr;
      Check(BN_dec2bn(&e, spec.rsa_exponent.c_str()) > 0, "RSA exponent");
      Check(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e) == 1, "RSA exponent");
      BN_free(e);
    }
  } else if (spec.type == KeySpec::Type::kEc) {
    Check(EVP_PKEY_CTX_set_group_name(ctx.get(), spec.curve.c_str()) == 1, absl::StrCat("EC curve ", spec.curve));
  }
  EVP_PKEY* key = nullptr;
  Check(EVP_PKEY_generate(ctx.get(), &key) == 1, absl::StrCat("key generation (", alg, ")"));
  return EvpPkeyPtr(key);
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string HexUpper(const unsigned char* data, size_t len) {
  return absl::AsciiStrToUpper(absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(data), len)));
}

std::string DigestHex(const std::string& data, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  Check(EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) == 1, "EVP_Digest");
  return HexUpper(out, len);
}

void SetTime(ASN1_TIME* field, absl::Time t) {
  Check(ASN1_TIME_set(field, absl::ToTimeT(t)) != nullptr, "ASN1_TIME_set");
}

Asn1IntegerPtr MakeSerial(const std::string& serial_hex) {
  BignumPtr bn;
  if (serial_hex.empty()) {
    unsigned char buf[16];
    Check(RAND_bytes(buf, sizeof(buf)) == 1, "RAND_bytes");
    buf[0] &= 0x7f;  // positive
    buf[0] |= 0x01;  // non-zero leading byte: always 16 bytes
    bn.reset(BN_bin2bn(buf, sizeof(buf), nullptr));
  } else {
    BIGNUM* parsed = nullptr;
    Check(BN_hex2bn(&parsed, serial_hex.c_str()) == static_cast<int>(serial_hex.size()),
          absl::StrCat("serial hex '", serial_hex, "'"));
    bn.reset(parsed);
  }
  Check(bn != nullptr, "serial bignum");
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  Check(serial != nullptr, "BN_to_ASN1_INTEGER");
  return serial;
}

void AddNameEntry(X509_NAME* name, const std::string& field, const std::string& value) {
  Check(X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()), static_cast<int>(value.size()),
                                   -1, 0) == 1,
        absl::StrCat("subject attribute ", field, "=", value));
}

// Adds an extension given in OpenSSL config syntax ("critical,CA:TRUE").
void AddConfExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  Check(ext != nullptr, absl::StrCat("extension ", OBJ_nid2sn(nid), "=", value));
  Check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

// Adds extensions given in OpenSSL config syntax with their sections (CertSpec::extensions,
// CrlSpec::extensions) to a certificate or, when `cert` is null, to `crl`.
void AddNconfExtensions(const std::vector<std::pair<std::string, std::string>>& extensions, const std::string& sections,
                        X509* cert, X509* issuer, X509_CRL* crl) {
  if (extensions.empty()) return;
  std::unique_ptr<CONF, decltype(&NCONF_free)> conf(NCONF_new(nullptr), NCONF_free);
  Check(conf != nullptr, "NCONF_new");
  BioPtr bio(BIO_new_mem_buf(sections.data(), static_cast<int>(sections.size())));
  long error_line = 0;
  Check(bio != nullptr && (sections.empty() || NCONF_load_bio(conf.get(), bio.get(), &error_line) > 0),
        absl::StrCat("extension sections (line ", error_line, ")"));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, crl, 0);
  X509V3_set_nconf(&ctx, conf.get());
  for (const auto& [name, value] : extensions) {
    X509ExtensionPtr ext(X509V3_EXT_nconf(conf.get(), &ctx, name.c_str(), value.c_str()));
    Check(ext != nullptr, absl::StrCat("extension ", name, "=", value));
    Check(cert != nullptr ? X509_add_ext(cert, ext.get(), -1) == 1 : X509_CRL_add_ext(crl, ext.get(), -1) == 1,
          "add extension");
  }
}

// SHA-1 of the subjectPublicKey BIT STRING (RFC 5280 method 1), or the SKI extension if present.
Asn1OctetStringPtr KeyIdentifier(X509* cert) {
  const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(cert);
  if (ski != nullptr) return Asn1OctetStringPtr(ASN1_OCTET_STRING_dup(ski));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  Check(X509_pubkey_digest(cert, EVP_sha1(), md, &len) == 1, "X509_pubkey_digest");
  Asn1OctetStringPtr id(ASN1_OCTET_STRING_new());
  Check(id != nullptr && ASN1_OCTET_STRING_set(id.get(), md, static_cast<int>(len)) == 1, "key identifier");
  return id;
}

AuthorityKeyIdPtr MakeAki(X509* issuer) {
  AuthorityKeyIdPtr aki(AUTHORITY_KEYID_new());
  Check(aki != nullptr, "AUTHORITY_KEYID_new");
  aki->keyid = KeyIdentifier(issuer).release();
  return aki;
}

void AddGeneralName(GENERAL_NAMES* names, int type, const std::string& value) {
  GENERAL_NAME* gen = nullptr;
  if (type == GEN_IPADD) {
    ASN1_OCTET_STRING* ip = a2i_IPADDRESS(value.c_str());
    Check(ip != nullptr, absl::StrCat("IP SAN '", value, "'"));
    gen = GENERAL_NAME_new();
    Check(gen != nullptr, "GENERAL_NAME_new");
    GENERAL_NAME_set0_value(gen, GEN_IPADD, ip);
  } else {
    ASN1_IA5STRING* str = ASN1_IA5STRING_new();
    Check(str != nullptr && ASN1_STRING_set(str, value.data(), static_cast<int>(value.size())) == 1, "IA5String");
    gen = GENERAL_NAME_new();
    Check(gen != nullptr, "GENERAL_NAME_new");
    GENERAL_NAME_set0_value(gen, type, str);
  }
  Check(sk_GENERAL_NAME_push(names, gen) > 0, "sk_GENERAL_NAME_push");
}

void AddExtensions(const CertSpec& spec, X509* cert, X509* issuer_cert, bool self_signed) {
  if (spec.basic_constraints) {
    std::string bc = spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
    if (spec.path_len >= 0) absl::StrAppend(&bc, ",pathlen:", spec.path_len);
    AddConfExtension(cert, issuer_cert, NID_basic_constraints, bc);
  }
  if (!spec.omit_key_usage) {
    std::vector<std::string> ku = spec.key_usage;
    if (ku.empty()) {
      ku = spec.is_ca ? std::vector<std::string>{"keyCertSign", "cRLSign"}
                      : std::vector<std::string>{"digitalSignature"};
    }
    AddConfExtension(cert, issuer_cert, NID_key_usage, absl::StrCat("critical,", absl::StrJoin(ku, ",")));
  }
  if (!spec.eku.empty()) {
    AddConfExtension(cert, issuer_cert, NID_ext_key_usage, absl::StrJoin(spec.eku, ","));
  }
  if (!spec.san_dns.empty() || !spec.san_uri.empty() || !spec.san_email.empty() || !spec.san_ip.empty()) {
    GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
    Check(names != nullptr, "sk_GENERAL_NAME_new_null");
    for (const auto& v : spec.san_dns) AddGeneralName(names.get(), GEN_DNS, v);
    for (const auto& v : spec.san_uri) AddGeneralName(names.get(), GEN_URI, v);
    for (const auto& v : spec.san_email) AddGeneralName(names.get(), GEN_EMAIL, v);
    for (const auto& v : spec.san_ip) AddGeneralName(names.get(), GEN_IPADD, v);
    Check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1, "subjectAltName");
  }
  if (spec.subject_key_id) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    Check(X509_pubkey_digest(cert, EVP_sha1(), md, &len) == 1, "X509_pubkey_digest");
    Asn1OctetStringPtr ski(ASN1_OCTET_STRING_new());
    Check(ski != nullptr && ASN1_OCTET_STRING_set(ski.get(), md, static_cast<int>(len)) == 1, "SKI");
    Check(X509_add1_ext_i2d(cert, NID_subject_key_identifier, ski.get(), 0, X509V3_ADD_DEFAULT) == 1,
          "subjectKeyIdentifier");
  }
  if (spec.authority_key_id && !self_signed) {
    AuthorityKeyIdPtr aki = MakeAki(issuer_cert);
    Check(X509_add1_ext_i2d(cert, NID_authority_key_identifier, aki.get(), 0, X509V3_ADD_DEFAULT) == 1,
          "authorityKeyIdentifier");
  }
  if (!spec.crl_distribution_point.empty()) {
    AddConfExtension(cert, issuer_cert, NID_crl_distribution_points, absl::StrCat("URI:", spec.crl_distribution_point));
  }
  if (!spec.ocsp_url.empty()) {
    AddConfExtension(cert, issuer_cert, NID_info_access, absl::StrCat("OCSP;URI:", spec.ocsp_url));
  }
  AddNconfExtensions(spec.extensions, spec.extension_sections, cert, issuer_cert, nullptr);
}

// nullptr for Ed25519/Ed448 (the key fixes the digest); aborts on an unknown name.
const EVP_MD* DigestFor(EVP_PKEY* key, const std::string& digest) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) return nullptr;
  const EVP_MD* md = EVP_get_digestbyname(digest.c_str());
  Check(md != nullptr, absl::StrCat("unknown digest '", digest, "'"));
  return md;
}

struct Built {
  std::string der, pem, key_pem;
  std::shared_ptr<TestCert::Impl> impl;
};

Built Build(const CertSpec& spec, const TestCert* issuer) {
  EvpPkeyPtr key = GenerateKey(spec.key);
  X509Ptr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  Check(spec.version >= 1 && spec.version <= 3, "version must be 1..3");
  Check(X509_set_version(cert.get(), spec.version - 1) == 1, "X509_set_version");
  Asn1IntegerPtr serial = MakeSerial(spec.serial_hex);
  Check(X509_set_serialNumber(cert.get(), serial.get()) == 1, "X509_set_serialNumber");

  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (const auto& [field, value] : spec.subject_extra) AddNameEntry(subject, field, value);
  if (!spec.cn.empty()) AddNameEntry(subject, "CN", spec.cn);

  X509* issuer_cert = issuer != nullptr ? issuer->impl()->x509.get() : cert.get();
  EVP_PKEY* issuer_key = issuer != nullptr ? issuer->impl()->key.get() : key.get();
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) == 1, "X509_set_issuer_name");
  SetTime(X509_getm_notBefore(cert.get()), spec.not_before);
  SetTime(X509_getm_notAfter(cert.get()), spec.not_after);
  Check(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");

  if (spec.version == 3) AddExtensions(spec, cert.get(), issuer_cert, issuer == nullptr);

  Check(X509_sign(cert.get(), issuer_key, DigestFor(issuer_key, spec.digest)) > 0, "X509_sign");

  Built out;
  unsigned char* der = nullptr;
  int der_len = i2d_X509(cert.get(), &der);
  Check(der_len > 0, "i2d_X509");
  out.der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);

  BioPtr pem(BIO_new(BIO_s_mem()));
  Check(pem != nullptr && PEM_write_bio_X509(pem.get(), cert.get()) == 1, "PEM_write_bio_X509");
  out.pem = BioToString(pem.get());
  BioPtr key_pem(BIO_new(BIO_s_mem()));
  Check(key_pem != nullptr &&
            PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  out.key_pem = BioToString(key_pem.get());

  auto impl = std::make_shared<TestCert::Impl>();
  impl->x509 = std::move(cert);
  impl->key = std::move(key);
  out.impl = std::move(impl);
  return out;
}

}  // namespace

absl::Time TestNow() { return Utc(2026, 6, 1); }

absl::Time Y(int year) { return Utc(year, 1, 1); }
absl::Time TestNotBefore() { return Utc(2025, 1, 1); }
absl::Time TestNotAfter() { return Utc(2035, 1, 1); }

std::string TestCert::pem_body() const {
  std::string body;
  absl::string_view rest = pem_;
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    absl::string_view line = rest.substr(0, eol);
    rest = eol == absl::string_view::npos ? absl::string_view() : rest.substr(eol + 1);
    if (line.rfind("-----", 0) == 0) continue;
    body.append(line.data(), line.size());
    body.push_back('\n');
  }
  return body;
}

std::string TestCert::base64_der() const { return absl::Base64Escape(der_); }

std::string TestCert::serial_hex() const {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(impl_->x509.get());
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  Check(bn != nullptr, "ASN1_INTEGER_to_BN");
  char* hex = BN_bn2hex(bn.get());
  Check(hex != nullptr, "BN_bn2hex");
  std::string out = absl::AsciiStrToUpper(hex);
  OPENSSL_free(hex);
  return out;
}

std::string TestCert::sha256_hex() const { return DigestHex(der_, EVP_sha256()); }
std::string TestCert::sha1_hex() const { return DigestHex(der_, EVP_sha1()); }

TestCert CertFactory::SelfSigned(const CertSpec& spec) {
  Built built = Build(spec, nullptr);
  TestCert out;
  out.der_ = std::move(built.der);
  out.pem_ = std::move(built.pem);
  out.key_pem_ = std::move(built.key_pem);
  out.impl_ = std::move(built.impl);
  return out;
}

TestCert CertFactory::Issue(const CertSpec& spec, const TestCert& issuer) {
  Check(issuer.impl() != nullptr, "Issue: issuer has no key");
  Built built = Build(spec, &issuer);
  TestCert out;
  out.der_ = std::move(built.der);
  out.pem_ = std::move(built.pem);
  out.key_pem_ = std::move(built.key_pem);
  out.impl_ = std::move(built.impl);
  return out;
}

std::string CertFactory::CrlPem(const TestCert& issuer, const std::vector<std::pair<std::string, absl::Time>>& revoked,
                                absl::Time this_update, absl::Time next_update) {
  CrlSpec spec;
  for (const auto& [serial_hex, when] : revoked) spec.revoked.push_back({serial_hex, when});
  spec.this_update = this_update;
  spec.next_update = next_update;
  return Crl(spec, issuer);
}

std::string CertFactory::Crl(const CrlSpec& spec, const TestCert& signer) {
  Check(signer.impl() != nullptr, "Crl: signer has no key");
  X509* signer_cert = signer.impl()->x509.get();
  EVP_PKEY* signer_key = signer.impl()->key.get();
  X509* name_cert = spec.issuer_name != nullptr ? spec.issuer_name->impl()->x509.get() : signer_cert;

  X509CrlPtr crl(X509_CRL_new());
  Check(crl != nullptr, "X509_CRL_new");
  Check(X509_CRL_set_version(crl.get(), 1) == 1, "X509_CRL_set_version");  // v2
  Check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(name_cert)) == 1, "X509_CRL_set_issuer_name");
  Asn1TimePtr last(ASN1_TIME_set(nullptr, absl::ToTimeT(spec.this_update)));
  Check(last != nullptr && X509_CRL_set1_lastUpdate(crl.get(), last.get()) == 1, "lastUpdate");
  if (spec.next_update != absl::InfiniteFuture()) {
    Asn1TimePtr next(ASN1_TIME_set(nullptr, absl::ToTimeT(spec.next_update)));
    Check(next != nullptr && X509_CRL_set1_nextUpdate(crl.get(), next.get()) == 1, "nextUpdate");
  }
  for (const CrlEntry& e : spec.revoked) {
    X509RevokedPtr entry(X509_REVOKED_new());
    Check(entry != nullptr, "X509_REVOKED_new");
    Check(!e.serial_hex.empty(), "Crl: empty serial");
    Asn1IntegerPtr serial = MakeSerial(e.serial_hex);
    Check(X509_REVOKED_set_serialNumber(entry.get(), serial.get()) == 1, "revoked serial");
    Asn1TimePtr date(ASN1_TIME_set(nullptr, absl::ToTimeT(e.when)));
    Check(date != nullptr && X509_REVOKED_set_revocationDate(entry.get(), date.get()) == 1, "revocationDate");
    if (e.reason >= 0) {
      std::unique_ptr<ASN1_ENUMERATED, decltype(&ASN1_ENUMERATED_free)> reason(ASN1_ENUMERATED_new(),
                                                                               ASN1_ENUMERATED_free);
      Check(reason != nullptr && ASN1_ENUMERATED_set(reason.get(), e.reason) == 1, "CRLReason");
      Check(X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, reason.get(), 0, X509V3_ADD_DEFAULT) == 1,
            "CRL entry reasonCode");
    }
    if (e.certificate_issuer != nullptr) {
      GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
      GENERAL_NAME* dir = GENERAL_NAME_new();
      X509_NAME* dn = X509_NAME_dup(X509_get_subject_name(e.certificate_issuer->impl()->x509.get()));
      Check(names != nullptr && dir != nullptr && dn != nullptr, "certificateIssuer");
      GENERAL_NAME_set0_value(dir, GEN_DIRNAME, dn);
      Check(sk_GENERAL_NAME_push(names.get(), dir) > 0, "certificateIssuer push");
      Check(X509_REVOKED_add1_ext_i2d(entry.get(), NID_certificate_issuer, names.get(), 1, X509V3_ADD_DEFAULT) == 1,
            "CRL entry certificateIssuer");
    }
    Check(X509_CRL_add0_revoked(crl.get(), entry.release()) == 1, "X509_CRL_add0_revoked");
  }
  Check(X509_CRL_sort(crl.get()) == 1, "X509_CRL_sort");

  AuthorityKeyIdPtr aki = MakeAki(signer_cert);
  Check(X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, aki.get(), 0, X509V3_ADD_DEFAULT) == 1,
        "CRL authorityKeyIdentifier");
  Asn1IntegerPtr number(ASN1_INTEGER_new());
  Check(number != nullptr && ASN1_INTEGER_set(number.get(), spec.number) == 1, "CRL number");
  Check(X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, X509V3_ADD_DEFAULT) == 1, "cRLNumber");
  if (spec.delta_base >= 0) {
    Asn1IntegerPtr base(ASN1_INTEGER_new());
    Check(base != nullptr && ASN1_INTEGER_set(base.get(), spec.delta_base) == 1, "base CRL number");
    Check(X509_CRL_add1_ext_i2d(crl.get(), NID_delta_crl, base.get(), 1, X509V3_ADD_DEFAULT) == 1, "deltaCRLIndicator");
  }
  AddNconfExtensions(spec.extensions, spec.extension_sections, nullptr, signer_cert, crl.get());

  Check(X509_CRL_sign(crl.get(), signer_key, DigestFor(signer_key, "sha256")) > 0, "X509_CRL_sign");
  BioPtr pem(BIO_new(BIO_s_mem()));
  Check(pem != nullptr && PEM_write_bio_X509_CRL(pem.get(), crl.get()) == 1, "PEM_write_bio_X509_CRL");
  return BioToString(pem.get());
}

TestPki MakePki(const KeySpec& key, const std::string& leaf_cn) {
  TestPki pki;
  CertSpec root;
  root.cn = "Test Root CA";
  root.subject_extra = {{"O", "certguard tests"}};
  root.key = key;
  root.is_ca = true;
  pki.root = CertFactory::SelfSigned(root);

  CertSpec inter;
  inter.cn = "Test Intermediate CA";
  inter.subject_extra = {{"O", "certguard tests"}};
  inter.key = key;
  inter.is_ca = true;
  inter.path_len = 0;
  pki.intermediate = CertFactory::Issue(inter, pki.root);

  CertSpec leaf;
  leaf.cn = leaf_cn;
  leaf.subject_extra = {{"O", "certguard tests"}};
  leaf.key = key;
  leaf.eku = {"clientAuth"};
  leaf.san_dns = {leaf_cn};
  leaf.san_uri = {"spiffe://example.com/ns/default/sa/client"};
  if (key.type == KeySpec::Type::kRsa) leaf.key_usage = {"digitalSignature", "keyEncipherment"};
  pki.leaf = CertFactory::Issue(leaf, pki.intermediate);
  return pki;
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::error_code ec;
  std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) Die(absl::StrCat("WriteFile: mkdir ", p.parent_path().string(), ": ", ec.message()));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) Die(absl::StrCat("WriteFile: cannot write ", path));
}

std::string MakeTempDir(const std::string& prefix) {
  std::string base = ::testing::TempDir();
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  if (base.back() != '/') base.push_back('/');
  std::string name = prefix.empty() ? std::string("certguard") : prefix;
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  std::string templ = absl::StrCat(base, name, ".XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) Die(absl::StrCat("MakeTempDir: mkdtemp ", templ));
  return templ;
}

std::string ResignedDer(const TestCert& cert, const TestCert& signer, const std::function<void(X509*)>& edit) {
  const auto* p = reinterpret_cast<const unsigned char*>(cert.der().data());
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(cert.der().size()));
  if (x == nullptr) std::abort();
  edit(x);
  BIO* bio = BIO_new_mem_buf(signer.key_pem().data(), static_cast<int>(signer.key_pem().size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || X509_sign(x, key, EVP_sha256()) <= 0) std::abort();
  EVP_PKEY_free(key);
  unsigned char* der = nullptr;
  const int len = i2d_X509(x, &der);
  X509_free(x);
  if (len <= 0) std::abort();
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace certguard::testing
