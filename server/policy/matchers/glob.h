// Glob patterns for URIs, SPIFFE IDs and SPIFFE paths:
//   '*'   any run of characters except '/'
//   '**'  any run of characters, '/' included
//   a '*' or '**' that is a whole segment (between '/' and '/' or the end) matches at least
//   one character: a segment is never empty
// Everything else is literal. The names matched are parsed first (uri.h, spiffe_id.h), so a
// segment is never "." or "..". Linear in the pattern times the text, no recursion.
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_GLOB_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_GLOB_H_

#include <string>

#include "absl/strings/string_view.h"

namespace certguard::policy {

bool GlobMatch(absl::string_view pattern, absl::string_view text);

// `pattern` with every '*' run replaced by "x": the shape a pattern must have for its names to
// parse (patterns are checked with the name's parser at load).
std::string GlobExample(absl::string_view pattern);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_GLOB_H_
