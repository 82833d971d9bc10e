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

// The SPIFFE ID of a leaf: its single URI SAN when that starts with "spiffe://", else empty.
std::string SpiffeIdOf(const x509::CertificateInfo& info);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_RULES_IDENTITY_RULES_H_
