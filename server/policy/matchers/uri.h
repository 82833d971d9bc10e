// URIs in RFC 3986 normal form (§6.2.2): what a URI SAN must be for a URI pattern to match it.
// A URI a server could normalise into another one (dot segments, escaped unreserved
// characters, upper-case scheme or host) matches no pattern, so certguard never vouches for a
// name that the service behind it reads differently.
//
// Normal form here: an absolute URI, scheme ":" hier-part ["?" query] ["#" fragment], with
//   - only the characters RFC 3986 allows (unreserved, reserved, "%" HEXDIG HEXDIG; "[" and "]"
//     only in the authority);
//   - a lower-case scheme (ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")) and a lower-case host;
//   - escapes in upper-case hex, none of an unreserved character (A-Z a-z 0-9 - . _ ~);
//   - no "." or ".." path segment.
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_URI_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_URI_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::policy {

// Views into the parsed text.
struct UriParts {
  absl::string_view scheme;
  std::optional<absl::string_view> authority;  // after "//"
  absl::string_view path;
  std::optional<absl::string_view> query;     // after "?"
  std::optional<absl::string_view> fragment;  // after "#"
};

// InvalidArgument saying which rule `uri` breaks.
absl::StatusOr<UriParts> ParseNormalUri(absl::string_view uri);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_URI_H_
