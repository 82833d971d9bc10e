// Threads for the decisions that may wait on the network: an OCSP fetch can take a responder's
// whole timeout, and gRPC's callback API runs handlers on a handful of threads shared by every
// call (health checks and cached verdicts included), so such a decision must not hold one.
// The front ends hand those decisions here; everything else still runs inline. A bounded queue:
// a full queue refuses new work (the front end answers UNAVAILABLE) instead of growing.
#ifndef CERTGUARD_SERVER_CORE_BLOCKING_POOL_H_
#define CERTGUARD_SERVER_CORE_BLOCKING_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace certguard::core {

class BlockingPool {
 public:
  // `threads` >= 1 workers; at most `max_queued` tasks waiting for one.
  BlockingPool(size_t threads, size_t max_queued);
  // Runs every task already queued, then joins the workers.
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Queues `task`; false (and `task` is dropped unrun) when max_queued tasks are waiting.
  bool TrySubmit(std::function<void()> task);

  size_t threads() const { return workers_.size(); }

 private:
  void Work();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_BLOCKING_POOL_H_
