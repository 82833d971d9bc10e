// The result type of the RFC 5280 profile checks (strict_checks.h) and the roles they check a
// certificate in. Kept apart from strict_checks.h so that certificate.h can hold a per-role memo
// of findings (strict_profile_memo.h) without depending on the checks themselves.
#ifndef CERTGUARD_SERVER_X509_STRICT_FINDING_H_
#define CERTGUARD_SERVER_X509_STRICT_FINDING_H_

#include <cstddef>
#include <string>

namespace certguard::x509 {

// Where a certificate sits in a verified path.
enum class PathRole {
  kLeaf,
  kIntermediate,
  kAnchor,  // the trusted end of the path (configured, so only key and encoding rules apply)
};
inline constexpr size_t kPathRoleCount = static_cast<size_t>(PathRole::kAnchor) + 1;

struct StrictFinding {
  enum class Kind {
    kProfile,             // any RFC 5280 profile violation
    kKeyAlgorithm,        // forbidden key type (DSA anywhere in the path)
    kKeyTooSmall,         // RSA modulus below 2048 bits anywhere in the path
    kCurve,               // EC key on a curve below 224 bits anywhere in the path
    kSignatureAlgorithm,  // MD5/SHA-1 signature on an issuing CA
    kNameConstraints,     // a leaf name escapes a name constraint OpenSSL does not evaluate
  };
  Kind kind = Kind::kProfile;
  std::string detail;

  friend bool operator==(const StrictFinding&, const StrictFinding&) = default;
};

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_STRICT_FINDING_H_
