#include "server/revocation/responder_failures.h"

namespace certguard::revocation {

void ResponderFailures::Record(const std::string& url, absl::Time now, std::string message) {
  failed_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() >= max_urls_ && !failures_.contains(url)) {
    auto oldest = failures_.begin();
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (it->second.at < oldest->second.at) oldest = it;
    }
    failures_.erase(oldest);
  }
  failures_[url] = Failure{now, std::move(message)};
}

void ResponderFailures::Clear(const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(url);
}

std::optional<ResponderFailures::Failure> ResponderFailures::Recent(const std::string& url, absl::Time now,
                                                                    absl::Duration ttl) const {
  if (ttl <= absl::ZeroDuration()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(url);
  if (it == failures_.end() || now - it->second.at >= ttl || now < it->second.at) return std::nullopt;
  skipped_.fetch_add(1, std::memory_order_relaxed);
  return it->second;
}

std::shared_ptr<ResponderFailures> DefaultResponderFailures() {
  static const auto* failures = new std::shared_ptr<ResponderFailures>(std::make_shared<ResponderFailures>());
  return *failures;
}

}  // namespace certguard::revocation
