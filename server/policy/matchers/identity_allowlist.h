// A list of caller identities a service admits, each entry one of:
//   spiffe://trust-domain/path   a SPIFFE ID; '*' matches within one path segment, '**' across
//                                segments (glob.h)
//   sha256:HEX                   the certificate's SHA-256 (case and ':' separators ignored)
//   dn:SUBJECT                   the certificate's subject DN in RFC 2253 form, exactly
// Matched against the verified client certificate of a call (grpc/peer_identity.h reads it):
// the admin listener's --admin_allow and a policy's `callers`.
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_IDENTITY_ALLOWLIST_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_IDENTITY_ALLOWLIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace certguard::policy {

// Who is calling, as the transport proved it (the verified client certificate of the connection).
struct PeerIdentity {
  bool has_certificate = false;
  std::string spiffe_id;   // the certificate's spiffe:// URI SAN (the first), or empty
  std::string subject_dn;  // RFC 2253
  std::string sha256_hex;  // upper-case hex of SHA-256(DER)

  // For logs: the SPIFFE ID, else "dn:<subject>", else "sha256:<hex>"; "" without a certificate.
  std::string ToString() const;
};

class IdentityAllowlist {
 public:
  IdentityAllowlist() = default;
  // INVALID_ARGUMENT naming the entry when one has no known prefix, a SHA-256 is not 64 hex
  // digits, or an entry is empty after its prefix.
  static absl::StatusOr<IdentityAllowlist> Parse(const std::vector<std::string>& entries);

  bool empty() const { return spiffe_.empty() && sha256_.empty() && dn_.empty(); }
  bool Allows(const PeerIdentity& peer) const;

 private:
  std::vector<std::string> spiffe_;  // patterns
  std::vector<std::string> sha256_;  // upper-case hex
  std::vector<std::string> dn_;
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_IDENTITY_ALLOWLIST_H_
