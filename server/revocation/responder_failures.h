// Recent failures of OCSP responders, per responder URL. While a failure is recent (the policy's
// revocation.ocsp.failure_cache_ms), a check that would ask that responder fails at once with the
// recorded failure instead of paying the timeout again: a responder that hangs costs one timeout
// per interval, not one per verdict-cache miss. Only transport failures are kept (cannot connect,
// timeout, non-200, response too large); a response that fails verification is not. Bounded (the
// oldest URL is forgotten beyond `max_urls`), thread-safe, process-wide by default so every policy
// asking the same responder shares what was learnt.
#ifndef CERTGUARD_SERVER_REVOCATION_RESPONDER_FAILURES_H_
#define CERTGUARD_SERVER_REVOCATION_RESPONDER_FAILURES_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace certguard::revocation {

class ResponderFailures {
 public:
  struct Failure {
    absl::Time at;
    std::string message;
  };

  explicit ResponderFailures(size_t max_urls = 1024) : max_urls_(max_urls) {}

  void Record(const std::string& url, absl::Time now, std::string message);
  void Clear(const std::string& url);
  // The failure of `url` recorded less than `ttl` before `now`, counted as a skipped fetch.
  std::optional<Failure> Recent(const std::string& url, absl::Time now, absl::Duration ttl) const;

  // Fetches that failed, and checks answered from a recent failure without a fetch.
  uint64_t failed_fetches() const { return failed_.load(std::memory_order_relaxed); }
  uint64_t skipped_fetches() const { return skipped_.load(std::memory_order_relaxed); }

 private:
  const size_t max_urls_;
  mutable std::mutex mu_;
  absl::flat_hash_map<std::string, Failure> failures_;  // guarded by mu_
  std::atomic<uint64_t> failed_{0};
  mutable std::atomic<uint64_t> skipped_{0};
};

// The process-wide instance every compiled policy uses.
std::shared_ptr<ResponderFailures> DefaultResponderFailures();

}  // namespace certguard::revocation

#endif  // CERTGUARD_SERVER_REVOCATION_RESPONDER_FAILURES_H_
