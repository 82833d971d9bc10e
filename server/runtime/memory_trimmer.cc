#include "server/runtime/memory_trimmer.h"

#include <malloc.h>

namespace certguard::runtime {

MemoryTrimmer::MemoryTrimmer(absl::Duration interval) {
  if (interval <= absl::ZeroDuration()) return;
  thread_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, absl::ToChronoMilliseconds(interval), [this] { return stop_; })) {
      lock.unlock();
      malloc_trim(0);
      lock.lock();
    }
  });
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace certguard::runtime
