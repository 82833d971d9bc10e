#include "server/policy/registry.h"

#include <algorithm>

namespace certguard::policy {

Registry::Registry(std::vector<CompiledPolicyPtr> policies, std::string revision, absl::Time loaded_at,
                   std::string policy_dir, std::vector<std::string> referenced_files)
    : policies_(std::move(policies)),
      revision_(std::move(revision)),
      loaded_at_(loaded_at),
      policy_dir_(std::move(policy_dir)),
      referenced_files_(std::move(referenced_files)) {
  std::sort(policies_.begin(), policies_.end(),
            [](const CompiledPolicyPtr& a, const CompiledPolicyPtr& b) { return a->id < b->id; });
  by_id_.reserve(policies_.size());
  for (const auto& p : policies_) by_id_.emplace(p->id, p.get());
}

const CompiledPolicy* Registry::Find(absl::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

}  // namespace certguard::policy
