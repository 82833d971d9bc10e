#include "server/x509/strict_checks.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/x509/name_syntax.h"
#include "server/x509/openssl_ptr.h"

namespace certguard::x509 {
namespace {

using NameConstraintsPtr = OpenSslPtr<NAME_CONSTRAINTS, NAME_CONSTRAINTS_free>;
using PolicyConstraintsPtr = OpenSslPtr<POLICY_CONSTRAINTS, POLICY_CONSTRAINTS_free>;
inline void FreeAia(AUTHORITY_INFO_ACCESS* a) { AUTHORITY_INFO_ACCESS_free(a); }
using AiaPtr = OpenSslPtr<AUTHORITY_INFO_ACCESS, FreeAia>;

constexpr char kAnyEku[] = "2.5.29.37.0";
constexpr char kClientAuthEku[] = "1.3.6.1.5.5.7.3.2";
constexpr size_t kMaxSerialOctets = 20;
// OpenSSL security level 2 (112-bit security).
constexpr int kMinRsaBits = 2048;
constexpr int kMinEcBits = 224;

StrictFinding Profile(std::string detail) { return {StrictFinding::Kind::kProfile, std::move(detail)}; }

// -1 when the extension is absent, else 0/1 for its critical flag.
int Criticality(X509* x, int nid) {
  const int loc = X509_get_ext_by_NID(x, nid, -1);
  if (loc < 0) return -1;
  return X509_EXTENSION_get_critical(X509_get_ext(x, loc)) > 0 ? 1 : 0;
}

// Decodes an extension: absent -> {nullptr, false}; present but undecodable -> {nullptr, true}.
template <typename T>
std::pair<T*, bool> Decode(X509* x, int nid) {
  int crit = -1;
  T* value = static_cast<T*>(X509_get_ext_d2i(x, nid, &crit, nullptr));
  ERR_clear_error();
  return {value, value == nullptr && crit != -1};
}

absl::string_view View(const ASN1_STRING* s) {
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s))};
}

bool SameOctets(const ASN1_OCTET_STRING* a, const ASN1_OCTET_STRING* b) {
  return a != nullptr && b != nullptr && ASN1_OCTET_STRING_cmp(a, b) == 0;
}

// An rfc822Name constraint: a mailbox, a host, or ".domain" (RFC 5280 4.2.1.10).
bool IsEmailConstraint(absl::string_view c) {
  if (c.find('@') != absl::string_view::npos) return IsMailbox(c);
  if (absl::StartsWith(c, ".")) c.remove_prefix(1);
  return IsHostname(c);
}

// An iPAddress constraint: address and mask (8 or 32 octets) with a contiguous mask.
bool IsIpConstraint(const ASN1_OCTET_STRING* ip) {
  const absl::string_view bytes = View(ip);
  if (bytes.size() != 8 && bytes.size() != 32) return false;
  const absl::string_view mask = bytes.substr(bytes.size() / 2);
  bool zero_seen = false;
  for (char ch : mask) {
    const auto b = static_cast<unsigned char>(ch);
    for (int bit = 7; bit >= 0; --bit) {
      const bool one = ((b >> bit) & 1) != 0;
      if (one && zero_seen) return false;
      if (!one) zero_seen = true;
    }
  }
  return true;
}

std::optional<StrictFinding> CheckSubtrees(const STACK_OF(GENERAL_SUBTREE) * subtrees, const char* which) {
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
    const GENERAL_SUBTREE* st = sk_GENERAL_SUBTREE_value(subtrees, i);
    const GENERAL_NAME* base = st->base;
    switch (base->type) {
      case GEN_DNS: {
        const absl::string_view dns = View(base->d.dNSName);
        // An empty dNSName constraint matches every name; otherwise a plain hostname.
        if (!dns.empty() && !IsHostname(dns)) {
          return Profile(
              absl::StrCat(which, " dNSName constraint \"", absl::CEscape(dns), "\" is not a valid host name"));
        }
        break;
      }
      case GEN_EMAIL: {
        const absl::string_view email = View(base->d.rfc822Name);
        if (!IsEmailConstraint(email)) {
          return Profile(absl::StrCat(which, " rfc822Name constraint \"", absl::CEscape(email),
                                      "\" is not a mailbox, host or domain"));
        }
        break;
      }
      case GEN_IPADD:
        if (!IsIpConstraint(base->d.iPAddress)) {
          return Profile(absl::StrCat(which, " iPAddress constraint is not an address and a contiguous mask"));
        }
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

std::optional<StrictFinding> CheckNameConstraints(X509* x, PathRole role) {
  const int crit = Criticality(x, NID_name_constraints);
  if (crit < 0) return std::nullopt;
  if (role == PathRole::kLeaf) {
    return Profile("the leaf carries nameConstraints, which only CA certificates may carry");
  }
  if (crit == 0) return Profile("nameConstraints is not marked critical (RFC 5280 4.2.1.10)");
  auto [raw, malformed] = Decode<NAME_CONSTRAINTS>(x, NID_name_constraints);
  NameConstraintsPtr nc(raw);
  if (malformed || nc == nullptr) return Profile("nameConstraints cannot be decoded");
  if (sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) <= 0 && sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0) {
    return Profile("nameConstraints has neither permitted nor excluded subtrees");
  }
  if (auto f = CheckSubtrees(nc->permittedSubtrees, "permitted")) return f;
  return CheckSubtrees(nc->excludedSubtrees, "excluded");
}

// Reads the AKI OpenSSL decoded once when it cached the extensions (X509_get0_authority_*)
// instead of decoding it again (X509_get_ext_d2i, most of this check's cost): the same decode,
// and Certificate::FromDer refuses EXFLAG_INVALID, which an undecodable or duplicate AKI sets,
// so a present AKI is a decoded one.
std::optional<StrictFinding> CheckAuthorityKeyId(const Certificate& cert, PathRole role) {
  X509* x = cert.raw();
  const CertificateInfo& info = cert.info();
  if (Criticality(x, NID_authority_key_identifier) < 0) {
    if (!info.self_issued && role != PathRole::kAnchor) {
      return Profile(
          "authorityKeyIdentifier is missing on a certificate that is not self-issued "
          "(RFC 5280 4.2.1.1)");
    }
    return std::nullopt;
  }
  const ASN1_OCTET_STRING* keyid = X509_get0_authority_key_id(x);
  if (keyid == nullptr) return Profile("authorityKeyIdentifier has no keyIdentifier");
  if (cert.self_signed()) {
    if (X509_get0_authority_issuer(x) != nullptr || X509_get0_authority_serial(x) != nullptr) {
      return Profile("a self-signed certificate's authorityKeyIdentifier names an issuer and serial");
    }
    const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(x);
    if (ski != nullptr && !SameOctets(keyid, ski)) {
      return Profile(
          "a self-signed certificate's authorityKeyIdentifier differs from its own "
          "subjectKeyIdentifier");
    }
  }
  return std::nullopt;
}

std::optional<StrictFinding> CheckSerial(X509* x) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x);
  const absl::string_view magnitude = View(serial);
  if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) {
    return Profile("the serial number is negative (RFC 5280 4.1.2.2)");
  }
  if (std::all_of(magnitude.begin(), magnitude.end(), [](char c) { return c == 0; })) {
    return Profile("the serial number is zero (RFC 5280 4.1.2.2)");
  }
  // DER content octets: the magnitude plus a 0x00 when its top bit is set.
  const size_t octets = magnitude.size() + ((static_cast<unsigned char>(magnitude.front()) & 0x80) != 0 ? 1 : 0);
  if (octets > kMaxSerialOctets) {
    return Profile(absl::StrCat("the serial number has ", octets, " octets; at most 20 are allowed"));
  }
  return std::nullopt;
}

std::optional<StrictFinding> CheckLeafNames(X509* x) {
  auto [raw, malformed] = Decode<GENERAL_NAMES>(x, NID_subject_alt_name);
  GeneralNamesPtr names(raw);
  if (malformed) return Profile("subjectAltName cannot be decoded");
  if (names == nullptr) {
    if (X509_NAME_entry_count(X509_get_subject_name(x)) == 0) {
      return Profile("the subject is empty and there is no subjectAltName");
    }
    return std::nullopt;
  }
  if (sk_GENERAL_NAME_num(names.get()) <= 0) return Profile("subjectAltName is empty");
  if (X509_NAME_entry_count(X509_get_subject_name(x)) == 0 && Criticality(x, NID_subject_alt_name) != 1) {
    return Profile("the subject is empty and subjectAltName is not critical (RFC 5280 4.2.1.6)");
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gen = sk_GENERAL_NAME_value(names.get(), i);
    if (gen->type == GEN_DNS) {
      const absl::string_view dns = View(gen->d.dNSName);
      if (!IsDnsSan(dns)) {
        return Profile(absl::StrCat("subjectAltName dNSName \"", absl::CEscape(dns), "\" is not a valid host name"));
      }
    } else if (gen->type == GEN_EMAIL) {
      const absl::string_view email = View(gen->d.rfc822Name);
      if (!IsMailbox(email)) {
        return Profile(absl::StrCat("subjectAltName rfc822Name \"", absl::CEscape(email), "\" is not a valid mailbox"));
      }
    }
  }
  return std::nullopt;
}

bool HasEku(const CertificateInfo& info, absl::string_view oid) {
  return std::find(info.eku_oids.begin(), info.eku_oids.end(), oid) != info.eku_oids.end();
}

}  // namespace

std::optional<StrictFinding> CheckCertificateProfile(const Certificate& cert, PathRole role) {
  return cert.strict_profile_.Get(cert, role, &CheckCertificateProfileUncached);
}

std::optional<StrictFinding> CheckCertificateProfileUncached(const Certificate& cert, PathRole role) {
  X509* x = cert.raw();
  const CertificateInfo& info = cert.info();
  const bool issued = role != PathRole::kAnchor;  // leaf or intermediate

  if (info.key_algorithm == "DSA") {
    return StrictFinding{StrictFinding::Kind::kKeyAlgorithm,
                         "a DSA key (not an accepted key type for X.509 authentication)"};
  }
  if (info.key_algorithm == "RSA" || info.key_algorithm == "RSA-PSS") {
    // The leaf's key size is the policy's key_rules (configurable); issuers get this floor.
    if (role != PathRole::kLeaf && info.key_bits < kMinRsaBits) {
      return StrictFinding{
          StrictFinding::Kind::kKeyTooSmall,
          absl::StrCat("an RSA key of ", info.key_bits, " bits (at least ", kMinRsaBits, " required)")};
    }
    if (info.key_bits % 8 != 0) {
      return Profile(absl::StrCat("an RSA modulus of ", info.key_bits, " bits is not a whole number of bytes"));
    }
  }
  if (role != PathRole::kLeaf && info.key_algorithm == "EC" && info.key_bits < kMinEcBits) {
    return StrictFinding{StrictFinding::Kind::kCurve,
                         absl::StrCat("an EC key on ", info.key_curve.empty() ? "an unnamed curve" : info.key_curve,
                                      " (", info.key_bits, " bits; at least ", kMinEcBits, " required)")};
  }
  if (issued) {
    if (auto f = CheckSerial(x)) return f;
    if (info.not_before > info.not_after) return Profile("notBefore is after notAfter");
  }
  if (info.has_eku && info.eku_oids.empty()) return Profile("extendedKeyUsage lists no purpose");
  if (role == PathRole::kLeaf && HasEku(info, kAnyEku)) {
    return Profile("the leaf's extendedKeyUsage is anyExtendedKeyUsage instead of a stated purpose");
  }
  if (Criticality(x, NID_policy_constraints) == 0) {
    return Profile("policyConstraints is not marked critical (RFC 5280 4.2.1.11)");
  }
  if (auto f = CheckNameConstraints(x, role)) return f;
  if (auto f = CheckAuthorityKeyId(cert, role)) return f;
  {
    auto [raw, malformed] = Decode<AUTHORITY_INFO_ACCESS>(x, NID_info_access);
    AiaPtr aia(raw);
    if (malformed || (aia != nullptr && sk_ACCESS_DESCRIPTION_num(aia.get()) <= 0)) {
      return Profile("authorityInfoAccess is malformed or empty");
    }
  }
  if (role == PathRole::kLeaf) return CheckLeafNames(x);
  if (role == PathRole::kIntermediate) {
    if (Criticality(x, NID_basic_constraints) != 1) {
      return Profile("an intermediate CA's basicConstraints is not marked critical (RFC 5280 4.2.1.9)");
    }
    if (!info.has_key_usage) return Profile("an intermediate CA has no keyUsage (RFC 5280 4.2.1.3)");
    if (X509_get0_subject_key_id(x) == nullptr) {
      return Profile("an intermediate CA has no subjectKeyIdentifier (RFC 5280 4.2.1.2)");
    }
    if (info.signature_digest == "md5" || info.signature_digest == "sha1") {
      return StrictFinding{StrictFinding::Kind::kSignatureAlgorithm,
                           absl::StrCat("an intermediate CA is signed with ", info.signature_algorithm)};
    }
  }
  return std::nullopt;
}

std::optional<StrictFinding> CheckIssuerLink(const Certificate& child, const Certificate& issuer,
                                             const Certificate& leaf, bool check_eku) {
  const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(child.raw());
  const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(issuer.raw());
  if (akid != nullptr && skid != nullptr && !SameOctets(akid, skid)) {
    return Profile("authorityKeyIdentifier does not match the issuer's subjectKeyIdentifier");
  }
  const CertificateInfo& ca = issuer.info();
  if (check_eku && ca.has_eku && !HasEku(ca, kAnyEku)) {
    const CertificateInfo& l = leaf.info();
    const bool shared = l.has_eku ? std::any_of(l.eku_oids.begin(), l.eku_oids.end(),
                                                [&](const std::string& p) { return HasEku(ca, p); })
                                  : HasEku(ca, kClientAuthEku);
    if (!shared) {
      return Profile(
          absl::StrCat("issuer ", ca.subject_dn, " restricts extendedKeyUsage to purposes the leaf does not have"));
    }
  }
  return std::nullopt;
}

std::optional<StrictFinding> CheckWildcardAgainstExclusions(const Certificate& leaf, const Certificate& ca) {
  const std::vector<std::string>& leaf_dns = leaf.info().sans.dns;
  if (std::none_of(leaf_dns.begin(), leaf_dns.end(),
                   [](const std::string& dns) { return absl::StartsWith(dns, "*."); }) ||
      Criticality(ca.raw(), NID_name_constraints) < 0) {
    return std::nullopt;
  }
  std::vector<std::string> wildcard_bases;  // "*.example.com" -> "example.com"
  for (const std::string& dns : leaf_dns) {
    if (absl::StartsWith(dns, "*.")) wildcard_bases.push_back(absl::AsciiStrToLower(dns.substr(2)));
  }
  if (wildcard_bases.empty()) return std::nullopt;
  auto [raw, malformed] = Decode<NAME_CONSTRAINTS>(ca.raw(), NID_name_constraints);
  NameConstraintsPtr nc(raw);
  if (nc == nullptr) return std::nullopt;  // reported by CheckCertificateProfile
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); ++i) {
    const GENERAL_NAME* base = sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, i)->base;
    if (base->type != GEN_DNS) continue;
    std::string excluded = absl::AsciiStrToLower(View(base->d.dNSName));
    if (absl::StartsWith(excluded, ".")) excluded.erase(0, 1);
    for (const std::string& b : wildcard_bases) {
      // "*.example.com" expands to exactly one more label: "bar.example.com" is reachable.
      if (excluded.size() > b.size() && absl::EndsWith(excluded, b) &&
          excluded[excluded.size() - b.size() - 1] == '.') {
        const absl::string_view label(excluded.data(), excluded.size() - b.size() - 1);
        if (!label.empty() && label.find('.') == absl::string_view::npos) {
          return StrictFinding{StrictFinding::Kind::kNameConstraints,
                               absl::StrCat("wildcard dNSName *.", b, " covers ", excluded, ", which ",
                                            ca.info().subject_dn, " excludes")};
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace certguard::x509
