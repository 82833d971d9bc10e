// Holds the current registry snapshot. Readers take a shared_ptr that stays valid for the
// whole request; a reload publishes a complete new snapshot, swapped in under a mutex held only
// for the pointer copy. Thread-safe; Current() never waits for a reload's loading work.
//
// Not std::atomic<std::shared_ptr>: libstdc++ 12 implements its load() with a relaxed unlock,
// so a load and a later store are not ordered by happens-before; ThreadSanitizer reports the
// two pointer accesses as a data race (RegistrySwapConcurrencyTest under make test-tsan).
#ifndef CERTGUARD_SERVER_POLICY_REGISTRY_STORE_H_
#define CERTGUARD_SERVER_POLICY_REGISTRY_STORE_H_

#include <memory>
#include <mutex>
#include <utility>

#include "server/policy/registry.h"

namespace certguard::policy {

class RegistryStore {
 public:
  // Null until the first successful load.
  RegistryPtr Current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  // The previous snapshot is released outside the lock (its last reader may be this call).
  void Publish(RegistryPtr registry) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      current_.swap(registry);
    }
  }

 private:
  mutable std::mutex mu_;
  RegistryPtr current_;  // guarded by mu_
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_REGISTRY_STORE_H_
