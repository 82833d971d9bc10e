// An immutable registry snapshot: every compiled policy by id, plus the content revision.
// Requests hold a shared_ptr<const Registry> for their whole duration, so a reload that
// swaps in a new snapshot never changes a decision in flight.
#ifndef CERTGUARD_SERVER_POLICY_REGISTRY_H_
#define CERTGUARD_SERVER_POLICY_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/policy/compiled_policy.h"

namespace certguard::policy {

class Registry {
 public:
  // `referenced_files`: every file the policies read (CA bundles, CRLs), for change watching.
  Registry(std::vector<CompiledPolicyPtr> policies, std::string revision, absl::Time loaded_at, std::string policy_dir,
           std::vector<std::string> referenced_files = {});

  // nullptr when unknown. O(1), independent of the number of policies.
  const CompiledPolicy* Find(absl::string_view id) const;
  const std::vector<CompiledPolicyPtr>& policies() const { return policies_; }  // sorted by id
  const std::string& revision() const { return revision_; }
  absl::Time loaded_at() const { return loaded_at_; }
  const std::string& policy_dir() const { return policy_dir_; }
  const std::vector<std::string>& referenced_files() const { return referenced_files_; }

 private:
  std::vector<CompiledPolicyPtr> policies_;
  absl::flat_hash_map<std::string, const CompiledPolicy*> by_id_;
  std::string revision_;
  absl::Time loaded_at_;
  std::string policy_dir_;
  std::vector<std::string> referenced_files_;
};

using RegistryPtr = std::shared_ptr<const Registry>;

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_REGISTRY_H_
