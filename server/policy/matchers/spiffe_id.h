// SPIFFE IDs as the SPIFFE ID standard defines them (go-spiffe's spiffeid package is the model).
// Every SPIFFE ID a certificate carries is parsed with ParseSpiffeId before any pattern sees
// it; one that does not parse matches nothing, so a name that a service behind certguard could
// read as another identity (spiffe://td/ns/a/../admin) is never vouched for.
//
//   spiffe://<trust domain><path>
//   scheme       exactly "spiffe" (lower case)
//   trust domain 1..255 of a-z 0-9 . - _ (lower case only; no port, no userinfo)
//   path         empty, or segments "/<segment>" of 1+ of a-z A-Z 0-9 . - _, none "." or "..";
//                no empty segment (so no trailing "/"), no %-encoding, no query, no fragment
//   length       at most 2048 bytes in all
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_SPIFFE_ID_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_SPIFFE_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::policy {

inline constexpr size_t kMaxSpiffeIdBytes = 2048;
inline constexpr size_t kMaxTrustDomainBytes = 255;

struct SpiffeId {
  std::string trust_domain;  // e.g. "example.org"
  std::string path;          // "" or "/ns/prod/sa/app"
};

// InvalidArgument saying which rule `text` breaks.
absl::StatusOr<SpiffeId> ParseSpiffeId(absl::string_view text);

// A trust domain name on its own (the rules above).
absl::Status ValidateTrustDomain(absl::string_view trust_domain);

// A path on its own: "" or segments as above.
absl::Status ValidateSpiffePath(absl::string_view path);

// The detail a check gives for `id` that failed ParseSpiffeId with `status`:
// "\"<id, cut to 256 bytes>\" is not a valid SPIFFE ID: <reason>".
std::string InvalidSpiffeIdDetail(absl::string_view id, const absl::Status& status);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_SPIFFE_ID_H_
