// Loads a whole registry from a directory of YAML policy files. Either every file and every
// policy loads, or the result carries the complete list of errors and no registry: a
// half-loaded registry never exists.
//
// Files: every regular file (or symlink to one) named *.yaml or *.yml directly in the
// directory, excluding names that start with '.' (so Kubernetes ConfigMap mounts, whose
// entries are symlinks into a "..data" directory, load exactly once).
#ifndef CERTGUARD_SERVER_POLICY_REGISTRY_LOADER_H_
#define CERTGUARD_SERVER_POLICY_REGISTRY_LOADER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/policy/registry.h"

namespace certguard::policy {

// One load error: where (file, policy, field) and what.
struct LoadError {
  std::string file;
  std::string policy_id;  // empty when the error is not about one policy
  std::string message;    // starts with the field path when about one field
  std::string ToString() const;
};

struct LoadResult {
  RegistryPtr registry;  // null when errors is non-empty
  std::vector<LoadError> errors;
  bool ok() const { return registry != nullptr; }
  std::string ErrorSummary() const;  // every error, one per line
};

// Bounds on what one load may cost (docs/policies.md "What a load may cost"): the largest policy file, the
// YAML aliases in one file, the values the policies of one file may hold once aliases are
// expanded (the conversion stops there), and the errors one load reports (each cut to a length).
inline constexpr size_t kMaxPolicyFileBytes = 1 << 20;
inline constexpr size_t kMaxYamlAliases = 1000;
inline constexpr size_t kMaxFileValues = 200000;
inline constexpr size_t kMaxLoadErrors = 100;
inline constexpr size_t kMaxLoadErrorBytes = 1024;

// `loaded_at` is recorded in the snapshot (injected for tests).
LoadResult LoadRegistry(const std::string& policy_dir, absl::Time loaded_at);

// Loads policies from YAML text (used by LoadRegistry and by tests); `file` names errors and
// anchors relative paths. Appends compiled policies or errors.
void LoadPolicyText(const std::string& text, const std::string& file, class LoadContext* context,
                    std::vector<CompiledPolicyPtr>* policies, std::vector<LoadError>* errors);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_REGISTRY_LOADER_H_
