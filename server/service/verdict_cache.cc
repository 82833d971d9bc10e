#include "server/service/verdict_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

namespace certguard::service {

VerdictCache::VerdictCache(VerdictCacheOptions options)
    : options_(options),
      per_shard_(options.max_entries == 0 ? 0 : std::max<size_t>(1, options.max_entries / kShards)) {}

VerdictCache::Verdict VerdictCache::MakeVerdict(const v1::ValidateCertificateResponse& response) {
  auto verdict = std::make_shared<CachedVerdict>();
  verdict->response = response;
  verdict->response.set_from_cache(true);
  verdict->wire = grpc::Slice(verdict->response.SerializeAsString());
  return verdict;
}

size_t VerdictCache::KeyHash::operator()(absl::string_view k) const { return absl::HashOf(k); }

VerdictCache::Shard& VerdictCache::ShardFor(const HashedKey& key) {
  // The top bits: the map itself uses the low ones.
  return shards_[(key.hash >> 32) % kShards];
}

VerdictCache::Verdict VerdictCache::Lookup(absl::string_view bytes, absl::Time now) {
  if (!enabled()) return nullptr;
  const HashedKey key{bytes, KeyHash()(bytes)};
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  if (now >= it->second.expires_at) {
    shard.lru.erase(it->second.lru);
    shard.entries.erase(it);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.verdict;
}

void VerdictCache::Insert(absl::string_view bytes, Verdict verdict, absl::Time now, absl::Time expires_at) {
  if (!enabled()) return;
  expires_at = std::min(expires_at, now + options_.ttl);
  if (expires_at <= now) return;
  const HashedKey key{bytes, KeyHash()(bytes)};
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it != shard.entries.end()) {
    it->second.verdict = std::move(verdict);
    it->second.expires_at = expires_at;
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
    return;
  }
  while (shard.entries.size() >= per_shard_ && !shard.lru.empty()) {
    const std::string* oldest = shard.lru.back();
    shard.lru.pop_back();
    shard.entries.erase(*oldest);
  }
  auto [inserted, _] = shard.entries.emplace(std::string(bytes), Entry{std::move(verdict), expires_at, {}});
  shard.lru.push_front(&inserted->first);
  inserted->second.lru = shard.lru.begin();
}

void VerdictCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.entries.clear();
    shard.lru.clear();
  }
}

size_t VerdictCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace certguard::service
