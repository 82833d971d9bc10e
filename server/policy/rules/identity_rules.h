// Identity conditions of one IdentityMatcher (thumbprints, subject, issuer, issuer thumbprint,
// SANs, SPKI pins, certificate hashes, serials, SPIFFE ids), each compiled into its own Rule.
#ifndef CERTGUARD_SERVER_POLICY_RULES_IDENTITY_RULES_H_
#define CERTGUARD_SERVER_POLICY_RULES_IDENTITY_RULES_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "certguard/v1/policy.pb.h"
#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/rule.h"

namespace certguard::policy {

using RuleList = std::vector<std::unique_ptr<const Rule>>;

// One Rule per non-empty condition, from the compilers below; all must hold. Errors name the
// offending field.
absl::StatusOr<RuleList> CompileIdentityMatcher(const v1::IdentityMatcher& matcher);

// One identity condition each, in <name>_rule.cc; null when `matcher` does not set it.
absl::StatusOr<std::unique_ptr<const Rule>> CompileThumbprintRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileCertificateSha256Rule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileSubjectRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileIssuerRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileIssuerThumbprintRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileSanRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileSpkiPinRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileSerialRule(const v1::IdentityMatcher& matcher);
absl::StatusOr<std::unique_ptr<const Rule>> CompileSpiffeIdRule(const v1::IdentityMatcher& matcher);

// Shared by the identity rule files: "field: message" as INVALID_ARGUMENT, and a pin list
// compiled into a FingerprintSet (hex of the given lengths; `strip` drops leading zeros).
absl::Status IdentityFieldError(absl::string_view field, const absl::Status& status);
absl::StatusOr<FingerprintSet> FingerprintsOf(const google::protobuf::RepeatedPtrField<std::string>& field,
                                              std::vector<size_t> lengths, bool strip = false);

// The identity alternatives: passes when every condition of at least one alternative holds.
absl::StatusOr<std::unique_ptr<const Rule>> CompileIdentityAlternatives(
    const google::protobuf::RepeatedPtrField<v1::IdentityMatcher>& alternatives);

// The leaf's single URI SAN when it has exactly one and its scheme reads "spiffe" in any case
// (the candidate for an X.509-SVID), else empty. It may not be a valid SPIFFE ID.
std::string SpiffeUriOf(const x509::CertificateInfo& info);

// The SPIFFE ID of a leaf: SpiffeUriOf when it parses as a SPIFFE ID (matchers/spiffe_id.h),
// else empty. This is what responses and identity headers show.
std::string SpiffeIdOf(const x509::CertificateInfo& info);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_RULES_IDENTITY_RULES_H_
