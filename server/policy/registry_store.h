// Holds the current registry snapshot. Readers take a shared_ptr that stays valid for the
// whole request; a reload publishes a complete new snapshot with one atomic store.
// Thread-safe; Current() never blocks on a reload in progress.
#ifndef CERTGUARD_SERVER_POLICY_REGISTRY_STORE_H_
#define CERTGUARD_SERVER_POLICY_REGISTRY_STORE_H_

#include <atomic>
#include <memory>

#include "server/policy/registry.h"

namespace certguard::policy {

class RegistryStore {
 public:
  // Null until the first successful load.
  RegistryPtr Current() const { return current_.load(std::memory_order_acquire); }
  void Publish(RegistryPtr registry) { current_.store(std::move(registry), std::memory_order_release); }

 private:
  std::atomic<RegistryPtr> current_;
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_REGISTRY_STORE_H_
