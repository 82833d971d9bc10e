// Reloads the registry (SIGHUP, the admin RPC, the directory watcher): builds and validates a
// complete new registry off the request path, then publishes it atomically and empties the
// verdict cache. On any failure the previous registry keeps serving and the error is logged,
// counted and kept for GetRegistryStatus.
//
// Reloads run on the reloader's own thread, one at a time (single-flight): a request made while
// a reload runs waits for the next one, which starts as soon as the running one ends and answers
// every request that arrived meanwhile. However many callers ask at once, at most one load runs
// and one waits; and no caller is answered by a load that began before it asked (it always sees
// the files as they were when it asked, or later). Thread-safe.
#ifndef CERTGUARD_SERVER_CORE_REGISTRY_RELOADER_H_
#define CERTGUARD_SERVER_CORE_REGISTRY_RELOADER_H_

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
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
  // Answers every request still waiting (each gets the outcome of one last load), then stops.
  ~RegistryReloader();

  struct Outcome {
    bool ok = false;
    bool changed = false;  // a new revision is serving
    std::string revision;  // the revision serving after the call
    std::vector<std::string> errors;
  };
  using Done = absl::AnyInvocable<void(const Outcome&)>;

  // Asks for a reload; `done` runs once, on the reloader's thread, with the outcome of the load
  // that answers it. `trigger` names the cause in logs ("admin", "watch", ...).
  void RequestReload(std::string trigger, Done done);
  // The same, waiting for the outcome ("startup", "SIGHUP").
  Outcome Reload(absl::string_view trigger);

  v1::RegistryStatus Status() const;
  const std::string& policy_dir() const { return policy_dir_; }
  int64_t successes() const { return successes_.load(); }
  int64_t failures() const { return failures_.load(); }
  // Loads run so far (each answers one or more requests).
  int64_t loads() const { return successes_.load() + failures_.load(); }

 private:
  struct Request {
    std::string trigger;
    Done done;
  };
  void Loop();
  Outcome LoadAndPublish(absl::string_view trigger);

  const std::string policy_dir_;
  policy::RegistryStore* store_;
  VerdictCache* cache_;
  Clock clock_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Request> waiting_;  // answered by the next load
  bool stopping_ = false;
  mutable std::mutex status_mu_;
  std::string last_error_;
  absl::Time last_error_at_ = absl::InfinitePast();
  std::atomic<int64_t> successes_{0};
  std::atomic<int64_t> failures_{0};
  std::thread thread_;  // last: started once everything above is initialised
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_REGISTRY_RELOADER_H_
