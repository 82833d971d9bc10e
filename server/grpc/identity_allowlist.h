// A list of caller identities a service admits, each entry one of:
//   spiffe://trust-domain/path   a SPIFFE ID; '*' matches any characters within one path segment
//   sha256:HEX                   the certificate's SHA-256 (case and ':' separators ignored)
//   dn:SUBJECT                   the certificate's subject DN in RFC 2253 form, exactly
// Matched against the verified client certificate of the call (grpc/peer_identity.h).
#ifndef CERTGUARD_SERVER_GRPC_IDENTITY_ALLOWLIST_H_
#define CERTGUARD_SERVER_GRPC_IDENTITY_ALLOWLIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/grpc/peer_identity.h"

namespace certguard::rpc {

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

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_IDENTITY_ALLOWLIST_H_
