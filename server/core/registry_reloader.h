// Reloads the registry (SIGHUP, the admin RPC, the directory watcher): builds and validates a
// complete new registry off the request path, then publishes it atomically and empties the
// verdict cache. On any failure the previous registry keeps serving and the error is logged,
// counted and kept for GetRegistryStatus. Thread-safe; reloads are serialised.
#ifndef CERTGUARD_SERVER_CORE_REGISTRY_RELOADER_H_
#define CERTGUARD_SERVER_CORE_REGISTRY_RELOADER_H_

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/core/clock.h"
#include "server/core/verdict_cache.h"
#include "server/policy/registry_store.h"

namespace certguard::core {

class RegistryReloader {
 public:
  // `store` and `cache` (may be null) must outlive the reloader.
  RegistryReloader(std::string policy_dir, policy::RegistryStore* store, VerdictCache* cache, Clock clock);

  struct Outcome {
    bool ok = false;
    bool changed = false;  // a new revision is serving
    std::string revision;  // the revision serving after the call
    std::vector<std::string> errors;
  };
  // `trigger` names the cause in logs ("startup", "SIGHUP", "admin", "watch").
  Outcome Reload(absl::string_view trigger);

  v1::RegistryStatus Status() const;
  const std::string& policy_dir() const { return policy_dir_; }
  int64_t successes() const { return successes_.load(); }
  int64_t failures() const { return failures_.load(); }

 private:
  const std::string policy_dir_;
  policy::RegistryStore* store_;
  VerdictCache* cache_;
  Clock clock_;
  std::mutex reload_mu_;  // serialises reloads
  mutable std::mutex status_mu_;
  std::string last_error_;
  absl::Time last_error_at_ = absl::InfinitePast();
  std::atomic<int64_t> successes_{0};
  std::atomic<int64_t> failures_{0};
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_REGISTRY_RELOADER_H_
