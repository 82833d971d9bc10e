// Compilers from a policy's proto sections to Rules; one implementation file per rule
// (rules/<name>_rule.cc). Each validates its section and returns an error naming the field.
#ifndef CERTGUARD_SERVER_POLICY_RULES_RULE_FACTORIES_H_
#define CERTGUARD_SERVER_POLICY_RULES_RULE_FACTORIES_H_

#include <memory>

#include "absl/status/statusor.h"
#include "certguard/v1/policy.pb.h"
#include "server/policy/rule.h"

namespace certguard::policy {

// eku_rule.cc: the leaf's extended key usage contains one of `allowed` (default clientAuth).
// Null when the check is off.
absl::StatusOr<std::unique_ptr<const Rule>> CompileEkuRule(const v1::ExtendedKeyUsage& eku);

// eku_rule.cc: every CA certificate of the verified path (the anchor too while
// trust.enforce_anchor_constraints holds) that carries extendedKeyUsage allows one of `allowed`
// or anyExtendedKeyUsage (OpenSSL's purpose check, Chromium's verifier). Null when the check is off.
absl::StatusOr<std::unique_ptr<const Rule>> CompileCaEkuRule(const v1::ExtendedKeyUsage& eku);

// key_usage_rule.cc: the leaf's keyUsage has every required bit. Null when none required.
absl::StatusOr<std::unique_ptr<const Rule>> CompileKeyUsageRule(const v1::KeyUsage& key_usage);

// key_rule.cc: key algorithm, RSA size bounds and EC curve of every presented certificate.
// Runs before chain verification so a giant key never reaches signature math.
absl::StatusOr<std::unique_ptr<const Rule>> CompileKeyRule(const v1::KeyRules& rules);

// signature_algorithm_rule.cc: the signature algorithms of the leaf and of every verified issuer
// below the anchor are allowed (SHA-1 and MD5 refused by default); only the leaf when the path
// did not verify.
absl::StatusOr<std::unique_ptr<const Rule>> CompileSignatureAlgorithmRule(const v1::KeyRules& rules);

// spiffe_rule.cc: the leaf is a valid X.509-SVID in an allowed trust domain and path.
// Null when no trust domain is configured.
absl::StatusOr<std::unique_ptr<const Rule>> CompileSpiffeRule(const v1::SpiffeRules& spiffe);

// strict_profile_rule.cc: RFC 5280 / CA/B-style checks OpenSSL does not make. Null when off.
std::unique_ptr<const Rule> MakeStrictProfileRule(const v1::StrictProfile& strict);

// Defaults, shared with the effective-configuration writer.
inline constexpr uint32_t kDefaultMinRsaBits = 2048;
inline constexpr uint32_t kDefaultMaxRsaBits = 8192;
inline constexpr const char* kDefaultCurves[] = {"prime256v1", "secp384r1", "secp521r1"};
inline constexpr const char* kDefaultKeyAlgorithms[] = {"RSA", "RSA-PSS", "EC", "ED25519"};
inline constexpr const char* kDefaultSignatureAlgorithms[] = {"sha256", "sha384", "sha512", "ED25519"};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_RULES_RULE_FACTORIES_H_
