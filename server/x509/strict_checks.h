// RFC 5280 profile checks that OpenSSL's path validation (even with X509_V_FLAG_X509_STRICT)
// does not make. Used by the policy layer's strict profile rule; each check reads the
// certificate's extensions directly (a few lookups, no signature work). Thread-safe: the
// Certificate is only read (apart from its internal, call_once-guarded profile memo).
#ifndef CERTGUARD_SERVER_X509_STRICT_CHECKS_H_
#define CERTGUARD_SERVER_X509_STRICT_CHECKS_H_

#include <optional>
#include <string>

#include "server/x509/certificate.h"
#include "server/x509/strict_finding.h"

namespace certguard::x509 {

// Checks one certificate for its role:
//   every role: DSA keys; RSA keys below 2048 bits or not a multiple of 8 bits; EC keys
//     below 224 bits (OpenSSL security level 2, which X509_verify_cert applies only when
//     asked, and to no configured anchor); empty extendedKeyUsage;
//     policyConstraints not critical; authorityKeyIdentifier without keyIdentifier; a
//     self-signed certificate's AKI naming anything but its own SKI; malformed or empty
//     authorityInfoAccess; malformed, empty, non-critical or ill-formed (DNS/e-mail/IP)
//     nameConstraints on a CA.
//   leaf and intermediates: serial number zero, negative or longer than 20 octets;
//     notBefore after notAfter; AKI missing on a certificate that is not self-issued.
//   (An anchor is configuration the policy trusts: its AKI may be absent.)
//   leaf: nameConstraints; anyExtendedKeyUsage; empty subjectAltName or one holding a DNS
//     name or e-mail address that is not well formed; empty subject without a critical SAN.
//   intermediates: basicConstraints not critical; keyUsage or subjectKeyIdentifier missing;
//     MD5 or SHA-1 signature.
//
// The result is a function of the certificate's bytes and `role` only, so it is computed once
// per (Certificate object, role) and memoized inside the Certificate (strict_profile_memo.h):
// repeated checks of a cached or trust-store certificate cost a call_once and a copy of the
// result (nothing to copy when the profile holds).
std::optional<StrictFinding> CheckCertificateProfile(const Certificate& cert, PathRole role);

// The same check, computed afresh without reading or filling the memo (tests compare the two).
std::optional<StrictFinding> CheckCertificateProfileUncached(const Certificate& cert, PathRole role);

// Checks the link from `child` to the certificate that issued it in the verified path:
// AKI keyIdentifier equals the issuer's SKI, and an issuer with an extendedKeyUsage
// (without anyExtendedKeyUsage) shares a purpose with `leaf` (whose purposes are its EKU, or
// clientAuth when it has none). `check_eku` false skips the latter (an anchor whose
// constraints do not apply).
std::optional<StrictFinding> CheckIssuerLink(const Certificate& child, const Certificate& issuer,
                                             const Certificate& leaf, bool check_eku = true);

// A wildcard dNSName in the leaf ("*.example.com") that can expand into a name excluded by a
// name constraint of `ca` ("bar.example.com"): OpenSSL compares the wildcard literally.
std::optional<StrictFinding> CheckWildcardAgainstExclusions(const Certificate& leaf, const Certificate& ca);

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_STRICT_CHECKS_H_
