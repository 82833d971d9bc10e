// A policy's exclusion paths: request paths that are ALLOWed without a certificate
// (PATH_EXCLUDED). Built once at load; immutable and thread-safe.
//
// Entry syntax (case-insensitive):
//   /health     the path /health and everything below it (/health/live), on segment boundaries:
//               not /healthcare, not /health-admin
//   /health/    everything below /health/ (and /health/ itself), not /health
//   /static*    a raw prefix, ending with '*': /static, /static/x, /staticfiles
// An entry must be a path in normal form: it starts with '/', and has no '%', ';', '\', empty,
// '.' or '..' segment, control or non-ASCII byte; '*' only at the end.
//
// A request path is compared after its query and fragment are cut off and its %-escapes are
// decoded once. It never matches when it could mean something else to the server behind the
// proxy: a ';' (path parameters, e.g. Tomcat's /public/..;/admin), a '\', a segment made of
// dots ('.', '..', '...'), an empty segment other than a trailing one, a byte outside printable
// ASCII, a malformed escape (%u002e, %zz), or an escape that decodes to '%' (double encoding),
// '/', '\', ';', '.', or a byte outside printable ASCII (overlong UTF-8 such as %c0%ae).
#ifndef CERTGUARD_SERVER_POLICY_EXCLUSION_PATHS_H_
#define CERTGUARD_SERVER_POLICY_EXCLUSION_PATHS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::policy {

class ExclusionPaths {
 public:
  ExclusionPaths() = default;
  // Errors name the entry: "exclusion_paths[2]: ...".
  static absl::StatusOr<ExclusionPaths> Compile(const std::vector<std::string>& entries);

  bool empty() const { return entries_.empty(); }
  // True when `path` (a request path as the proxy saw it, with query) is excluded.
  bool Matches(absl::string_view path) const;

  // The canonical form Matches compares (lower case, decoded), or nullopt when `path` can never
  // match any exclusion. Exposed for tests.
  static std::optional<std::string> Canonical(absl::string_view path);

 private:
  struct Entry {
    std::string prefix;  // lower case, without a trailing '*'
    bool raw_prefix = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_EXCLUSION_PATHS_H_
