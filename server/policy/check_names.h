// The stable names of the checks a response lists (certguard.v1.Check.name), each named once.
// Clients, dashboards and tests match on these; docs/api.md lists them.
#ifndef CERTGUARD_SERVER_POLICY_CHECK_NAMES_H_
#define CERTGUARD_SERVER_POLICY_CHECK_NAMES_H_

#include "absl/strings/string_view.h"

namespace certguard::policy::checks {

// Decided by the evaluator (server/core/evaluator.cc), in the order they run.
inline constexpr absl::string_view kExclusionPath = "exclusion_path";
inline constexpr absl::string_view kHttps = "https";
inline constexpr absl::string_view kHeader = "header";
inline constexpr absl::string_view kCertificate = "certificate";
inline constexpr absl::string_view kCertificateType = "certificate_type";
inline constexpr absl::string_view kChain = "chain";
inline constexpr absl::string_view kRevocation = "revocation";  // the policy's CRLs
inline constexpr absl::string_view kOcsp = "ocsp";
// Policy rules (server/policy/rules/): before chain verification...
inline constexpr absl::string_view kKey = "key";
inline constexpr absl::string_view kSignatureAlgorithm = "signature_algorithm";
// ...and after it.
inline constexpr absl::string_view kStrictProfile = "strict_profile";
inline constexpr absl::string_view kEku = "eku";
inline constexpr absl::string_view kCaEku = "ca_eku";
inline constexpr absl::string_view kKeyUsage = "key_usage";
inline constexpr absl::string_view kSpiffe = "spiffe";
inline constexpr absl::string_view kThumbprint = "thumbprint";
inline constexpr absl::string_view kCertificateSha256 = "certificate_sha256";
inline constexpr absl::string_view kSubject = "subject";
inline constexpr absl::string_view kIssuer = "issuer";
inline constexpr absl::string_view kIssuerThumbprint = "issuer_thumbprint";
inline constexpr absl::string_view kSan = "san";
inline constexpr absl::string_view kSpkiPin = "spki_pin";
inline constexpr absl::string_view kSerial = "serial";
inline constexpr absl::string_view kSpiffeId = "spiffe_id";
inline constexpr absl::string_view kIdentities = "identities";

// Every name above, in that order.
inline constexpr absl::string_view kAll[] = {
    kExclusionPath,
    kHttps,
    kHeader,
    kCertificate,
    kCertificateType,
    kChain,
    kRevocation,
    kOcsp,
    kKey,
    kSignatureAlgorithm,
    kStrictProfile,
    kEku,
    kCaEku,
    kKeyUsage,
    kSpiffe,
    kThumbprint,
    kCertificateSha256,
    kSubject,
    kIssuer,
    kIssuerThumbprint,
    kSan,
    kSpkiPin,
    kSerial,
    kSpiffeId,
    kIdentities,
};

}  // namespace certguard::policy::checks

#endif  // CERTGUARD_SERVER_POLICY_CHECK_NAMES_H_
