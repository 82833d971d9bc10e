// Glob patterns for URIs and SPIFFE paths: '*' matches any run of characters except '/',
// '**' matches any run including '/'. Everything else is literal. Linear-time matching.
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_GLOB_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_GLOB_H_

#include "absl/strings/string_view.h"

namespace certguard::policy {

bool GlobMatch(absl::string_view pattern, absl::string_view text);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_GLOB_H_
