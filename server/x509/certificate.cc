#include "server/x509/certificate.h"

#include <arpa/inet.h>

#include <cstring>
#include <utility>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "absl/strings/escaping.h"
#include "server/common/status_macros.h"
#include "server/x509/openssl_ptr.h"
#include "server/x509/openssl_util.h"

namespace certguard::x509 {
namespace {

using internal::Asn1TimeToTime;
using internal::HexUpper;
using internal::InvalidWithOpenSslErrors;

// Text of one ASN.1 string as UTF-8. Embedded NULs are refused: a name like
// "good.example\0.evil" must never reach a policy that compares strings.
absl::StatusOr<std::string> Utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  int len = ASN1_STRING_to_UTF8(&out, s);
  if (len < 0) return InvalidWithOpenSslErrors("undecodable name attribute");
  std::string text(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  if (text.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("name attribute contains a NUL byte");
  }
  return text;
}

struct NameParts {
  std::string cn;  // first CN in encoding order
  std::vector<std::string> o, ou;
};

absl::StatusOr<NameParts> ExtractNameParts(const X509_NAME* name) {
  NameParts parts;
  bool have_cn = false;
  const int n = X509_NAME_entry_count(name);
  for (int i = 0; i < n; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    if (nid != NID_commonName && nid != NID_organizationName && nid != NID_organizationalUnitName) {
      continue;
    }
    ASSIGN_OR_RETURN(std::string value, Utf8(X509_NAME_ENTRY_get_data(entry)));
    if (nid == NID_commonName) {
      if (!have_cn) parts.cn = std::move(value);
      have_cn = true;
    } else if (nid == NID_organizationName) {
      parts.o.push_back(std::move(value));
    } else {
      parts.ou.push_back(std::move(value));
    }
  }
  return parts;
}

// Serial as upper-case hex of the magnitude without leading zero bytes; zero is "00".
std::string SerialHex(const ASN1_INTEGER* serial) {
  const unsigned char* data = ASN1_STRING_get0_data(serial);
  size_t len = static_cast<size_t>(ASN1_STRING_length(serial));
  while (len > 0 && *data == 0) {
    ++data;
    --len;
  }
  std::string hex = len == 0 ? "00" : HexUpper(data, len);
  if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) hex.insert(0, "-");
  return hex;
}

absl::Status ExtractKey(X509* x509, CertificateInfo& info) {
  EVP_PKEY* key = X509_get0_pubkey(x509);
  if (key == nullptr) return InvalidWithOpenSslErrors("unsupported or malformed public key");
  info.key_bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      info.key_algorithm = "RSA";
      break;
    case EVP_PKEY_RSA_PSS:
      info.key_algorithm = "RSA-PSS";
      break;
    case EVP_PKEY_DSA:
      info.key_algorithm = "DSA";
      break;
    case EVP_PKEY_EC: {
      info.key_algorithm = "EC";
      char group[80];
      size_t group_len = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len) == 1) {
        info.key_curve.assign(group, group_len);
      } else {
        ERR_clear_error();  // explicit curve parameters: no name
      }
      break;
    }
    case EVP_PKEY_ED25519:
      info.key_algorithm = "ED25519";
      break;
    case EVP_PKEY_ED448:
      info.key_algorithm = "ED448";
      break;
    default: {
      const char* type = EVP_PKEY_get0_type_name(key);
      info.key_algorithm = type != nullptr ? type : "UNKNOWN";
      break;
    }
  }
  if ((info.key_algorithm == "RSA" || info.key_algorithm == "RSA-PSS" || info.key_algorithm == "DSA") &&
      info.key_bits > kMaxPublicKeyBits) {
    return absl::InvalidArgumentError(info.key_algorithm + " key of " + std::to_string(info.key_bits) +
                                      " bits exceeds " + std::to_string(kMaxPublicKeyBits));
  }
  if (info.key_algorithm == "RSA" || info.key_algorithm == "RSA-PSS") {
    BIGNUM* e = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1 || e == nullptr) {
      ERR_clear_error();
      return absl::InvalidArgumentError("the RSA public exponent cannot be read");
    }
    const bool too_large = BN_num_bits(e) > 33 || BN_get_word(e) > (static_cast<BN_ULONG>(1) << 32);
    const bool too_small = !too_large && BN_get_word(e) < 3;
    BN_free(e);
    if (too_large) return absl::InvalidArgumentError("the RSA public exponent is above 2^32");
    if (too_small) return absl::InvalidArgumentError("the RSA public exponent is below 3");
  }
  return absl::OkStatus();
}

void ExtractSignatureAlgorithm(X509* x509, CertificateInfo& info) {
  const int sig_nid = X509_get_signature_nid(x509);
  if (sig_nid != NID_undef) {
    info.signature_algorithm = OBJ_nid2ln(sig_nid);
  } else {
    const X509_ALGOR* alg = nullptr;
    X509_get0_signature(nullptr, &alg, x509);
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
    char oid[128];
    if (obj != nullptr && OBJ_obj2txt(oid, sizeof(oid), obj, 1) > 0) info.signature_algorithm = oid;
  }
  int md_nid = NID_undef;
  if (X509_get_signature_info(x509, &md_nid, nullptr, nullptr, nullptr) == 1 && md_nid != NID_undef) {
    const char* ln = OBJ_nid2ln(md_nid);
    if (ln != nullptr) info.signature_digest = ln;
  }
  ERR_clear_error();
}

absl::StatusOr<std::string> Ia5(const ASN1_STRING* s) {
  std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
  if (text.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("subjectAltName contains a NUL byte");
  }
  return text;
}

absl::Status ExtractSans(X509* x509, CertificateInfo& info) {
  int crit = -1;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, &crit, nullptr)));
  if (names == nullptr) {
    if (crit == -1) return absl::OkStatus();  // absent
    return InvalidWithOpenSslErrors(crit == -2 ? "duplicate subjectAltName extension" : "malformed subjectAltName");
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gen = sk_GENERAL_NAME_value(names.get(), i);
    switch (gen->type) {
      case GEN_DNS: {
        ASSIGN_OR_RETURN(std::string v, Ia5(gen->d.dNSName));
        info.sans.dns.push_back(std::move(v));
        break;
      }
      case GEN_URI: {
        ASSIGN_OR_RETURN(std::string v, Ia5(gen->d.uniformResourceIdentifier));
        info.sans.uri.push_back(std::move(v));
        break;
      }
      case GEN_EMAIL: {
        ASSIGN_OR_RETURN(std::string v, Ia5(gen->d.rfc822Name));
        info.sans.email.push_back(std::move(v));
        break;
      }
      case GEN_IPADD: {
        const ASN1_OCTET_STRING* ip = gen->d.iPAddress;
        const int len = ASN1_STRING_length(ip);
        char text[INET6_ADDRSTRLEN];
        if ((len != 4 && len != 16) ||
            inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), text, sizeof(text)) == nullptr) {
          return absl::InvalidArgumentError("subjectAltName IP address of invalid length");
        }
        info.sans.ip.push_back(text);
        break;
      }
      default:  // otherName, directoryName, registeredID, ...: not exposed
        break;
    }
  }
  return absl::OkStatus();
}

uint32_t MapKeyUsage(uint32_t openssl_bits) {
  static constexpr std::pair<uint32_t, uint32_t> kMap[] = {
      {KU_DIGITAL_SIGNATURE, kDigitalSignature},
      {KU_NON_REPUDIATION, kNonRepudiation},
      {KU_KEY_ENCIPHERMENT, kKeyEncipherment},
      {KU_DATA_ENCIPHERMENT, kDataEncipherment},
      {KU_KEY_AGREEMENT, kKeyAgreement},
      {KU_KEY_CERT_SIGN, kKeyCertSign},
      {KU_CRL_SIGN, kCrlSign},
      {KU_ENCIPHER_ONLY, kEncipherOnly},
      {KU_DECIPHER_ONLY, kDecipherOnly},
  };
  uint32_t out = 0;
  for (const auto& [from, to] : kMap) {
    if ((openssl_bits & from) != 0) out |= to;
  }
  return out;
}

absl::Status ExtractEku(X509* x509, CertificateInfo& info) {
  int crit = -1;
  EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(x509, NID_ext_key_usage, &crit, nullptr)));
  if (eku == nullptr) {
    if (crit == -1) return absl::OkStatus();
    return InvalidWithOpenSslErrors("malformed extendedKeyUsage");
  }
  info.has_eku = true;
  const int n = sk_ASN1_OBJECT_num(eku.get());
  info.eku_oids.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    char oid[128];
    const int len = OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku.get(), i), 1);
    if (len <= 0 || static_cast<size_t>(len) >= sizeof(oid)) {
      return absl::InvalidArgumentError("extendedKeyUsage OID too long");
    }
    info.eku_oids.emplace_back(oid, static_cast<size_t>(len));
  }
  return absl::OkStatus();
}

absl::StatusOr<CertificateInfo> ExtractInfo(X509* x509, absl::string_view der) {
  CertificateInfo info;
  // Caches and validates every extension once; afterwards the X509 is only read.
  const uint32_t flags = X509_get_extension_flags(x509);
  if ((flags & EXFLAG_INVALID) != 0) {
    return InvalidWithOpenSslErrors("invalid or duplicate certificate extension");
  }
  info.version = static_cast<int>(X509_get_version(x509)) + 1;

  // Public key first: an oversized key is refused before any signature work.
  RETURN_IF_ERROR(ExtractKey(x509, info));

  const X509_NAME* subject = X509_get_subject_name(x509);
  const X509_NAME* issuer = X509_get_issuer_name(x509);
  ASSIGN_OR_RETURN(NameParts subject_parts, ExtractNameParts(subject));
  ASSIGN_OR_RETURN(NameParts issuer_parts, ExtractNameParts(issuer));
  info.subject_dn = internal::NameToRfc2253(subject);
  info.issuer_dn = internal::NameToRfc2253(issuer);
  info.subject_cn = std::move(subject_parts.cn);
  info.subject_o = std::move(subject_parts.o);
  info.subject_ou = std::move(subject_parts.ou);
  info.issuer_cn = std::move(issuer_parts.cn);
  info.issuer_o = std::move(issuer_parts.o);
  info.issuer_ou = std::move(issuer_parts.ou);

  info.serial_hex = SerialHex(X509_get0_serialNumber(x509));

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  // SHA-1 of the DER is already cached by the extension pass above.
  if (X509_digest(x509, internal::Sha1(), md, &md_len) != 1) {
    return InvalidWithOpenSslErrors("SHA-1 digest");
  }
  info.sha1_hex = HexUpper(md, md_len);
  if (EVP_Digest(der.data(), der.size(), md, &md_len, internal::Sha256(), nullptr) != 1) {
    return InvalidWithOpenSslErrors("SHA-256 digest");
  }
  info.sha256_hex = HexUpper(md, md_len);

  unsigned char* spki = nullptr;
  const int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), &spki);
  if (spki_len <= 0) return InvalidWithOpenSslErrors("SubjectPublicKeyInfo encoding");
  const int ok = EVP_Digest(spki, static_cast<size_t>(spki_len), md, &md_len, internal::Sha256(), nullptr);
  OPENSSL_free(spki);
  if (ok != 1) return InvalidWithOpenSslErrors("SPKI digest");
  info.spki_sha256_base64 = absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(md), md_len));

  ASSIGN_OR_RETURN(info.not_before, Asn1TimeToTime(X509_get0_notBefore(x509)));
  ASSIGN_OR_RETURN(info.not_after, Asn1TimeToTime(X509_get0_notAfter(x509)));

  ExtractSignatureAlgorithm(x509, info);
  RETURN_IF_ERROR(ExtractSans(x509, info));

  info.is_ca = (flags & EXFLAG_BCONS) != 0 && (flags & EXFLAG_CA) != 0;
  info.path_len = static_cast<int>(X509_get_pathlen(x509));
  if (info.path_len < 0) info.path_len = -1;
  info.has_key_usage = (flags & EXFLAG_KUSAGE) != 0;
  if (info.has_key_usage) info.key_usage = MapKeyUsage(X509_get_key_usage(x509));
  RETURN_IF_ERROR(ExtractEku(x509, info));

  info.self_issued = (flags & EXFLAG_SI) != 0;
  return info;
}

}  // namespace

Certificate::Certificate(X509* x509, std::string der, CertificateInfo info)
    : x509_(x509), der_(std::move(der)), info_(std::move(info)) {}

Certificate::~Certificate() { X509_free(x509_); }

size_t Certificate::ApproximateBytes() const {
  // OpenSSL's X509 holds the DER's content decoded (names, extensions, key) plus its own cached
  // encoding: about 3x the DER; every SAN adds a GENERAL_NAME and string there, and one here.
  size_t bytes = sizeof(Certificate) + 4 * der_.size() + 1024;
  auto add = [&bytes](const std::vector<std::string>& names) {
    for (const std::string& name : names) bytes += 2 * name.size() + 160;
  };
  add(info_.sans.dns);
  add(info_.sans.uri);
  add(info_.sans.email);
  add(info_.sans.ip);
  add(info_.eku_oids);
  return bytes;
}

bool Certificate::self_signed() const {
  std::call_once(self_signed_once_, [this] {
    if (!info_.self_issued) return;
    self_signed_ = X509_verify(x509_, X509_get0_pubkey(x509_)) == 1;
    ERR_clear_error();
  });
  return self_signed_;
}

absl::StatusOr<std::shared_ptr<const Certificate>> Certificate::FromDer(absl::string_view der) {
  if (der.empty()) return absl::InvalidArgumentError("empty certificate");
  if (der.size() > kMaxCertificateDerBytes) {
    return absl::InvalidArgumentError("certificate larger than " + std::to_string(kMaxCertificateDerBytes) + " bytes");
  }
  ERR_clear_error();
  const unsigned char* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* p = begin;
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (x509 == nullptr) return InvalidWithOpenSslErrors("malformed certificate DER");
  if (p != begin + der.size()) {
    return absl::InvalidArgumentError("trailing bytes after certificate DER");
  }
  // The re-encoding must reproduce the input: rejects BER and non-canonical outer encodings.
  unsigned char* reencoded = nullptr;
  const int reencoded_len = i2d_X509(x509.get(), &reencoded);
  const bool same = reencoded_len == static_cast<int>(der.size()) && std::memcmp(reencoded, begin, der.size()) == 0;
  OPENSSL_free(reencoded);
  if (!same) {
    ERR_clear_error();
    return absl::InvalidArgumentError("certificate is not DER encoded");
  }
  ASSIGN_OR_RETURN(CertificateInfo info, ExtractInfo(x509.get(), der));
  return std::shared_ptr<const Certificate>(new Certificate(x509.release(), std::string(der), std::move(info)));
}

}  // namespace certguard::x509
