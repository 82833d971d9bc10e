// Identity conditions of one IdentityMatcher (thumbprints, subject, issuer, issuer thumbprint,
// SANs, SPKI pins, certificate hashes, serials, SPIFFE ids), each compiled into its own Rule.
#ifndef CERTGUARD_SERVER_POLICY_RULES_IDENTITY_RULES_H_
#define CERTGUARD_SERVER_POLICY_RULES_IDENTITY_RULES_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "certguard/v1/policy.pb.h"
#include "server/policy/rule.h"

namespace certguard::policy {

using RuleList = std::vector<std::unique_ptr<const Rule>>;

// One Rule per non-empty condition; all must hold. Errors name the offending field.
absl::StatusOr<RuleList> CompileIdentityMatcher(const v1::IdentityMatcher& matcher);

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
