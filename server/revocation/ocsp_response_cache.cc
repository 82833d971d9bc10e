#include "server/revocation/ocsp_response_cache.h"

namespace certguard::revocation {

std::optional<OcspCacheEntry> OcspResponseCache::Lookup(const std::string& cert_id_der, absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(cert_id_der);
  if (it == slots_.end()) {
    ++misses_;
    return std::nullopt;
  }
  if (now >= it->second.entry.expires_at) {
    lru_.erase(it->second.lru);
    slots_.erase(it);
    ++misses_;
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  ++hits_;
  return it->second.entry;
}

void OcspResponseCache::Insert(const std::string& cert_id_der, OcspCacheEntry entry) {
  if (max_entries_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(cert_id_der);
  if (it != slots_.end()) {
    it->second.entry = std::move(entry);
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  while (slots_.size() >= max_entries_ && !lru_.empty()) {
    slots_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(cert_id_der);
  slots_.emplace(cert_id_der, Slot{std::move(entry), lru_.begin()});
}

size_t OcspResponseCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slots_.size();
}
uint64_t OcspResponseCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}
uint64_t OcspResponseCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

}  // namespace certguard::revocation
