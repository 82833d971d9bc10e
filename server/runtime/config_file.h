// The server's config file (--config): a YAML mapping whose keys are flag names and whose
// values are the flags' text ("listen: 0.0.0.0:50051", "shutdown_grace: 10s"). A sequence
// of scalars is joined with commas (listen: [a, b] = "a,b"). Which keys exist is decided by
// the caller (main.cc knows the flags); this only reads the file.
#ifndef CERTGUARD_SERVER_RUNTIME_CONFIG_FILE_H_
#define CERTGUARD_SERVER_RUNTIME_CONFIG_FILE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace certguard::runtime {

using ConfigEntries = std::vector<std::pair<std::string, std::string>>;  // in file order

// INVALID_ARGUMENT (naming the file and line) for unreadable or malformed YAML, a top level
// that is not a mapping, a nested mapping, a null value, or a key given twice. An empty
// file is an empty list.
absl::StatusOr<ConfigEntries> ParseConfigText(const std::string& text, const std::string& name);
absl::StatusOr<ConfigEntries> ReadConfigFile(const std::string& path);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_CONFIG_FILE_H_
