#include "server/core/verdict_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

namespace certguard::core {

VerdictCache::VerdictCache(VerdictCacheOptions options)
    : options_(options),
      per_shard_(options.max_entries == 0 || options.max_bytes == 0 ? 0
                                                                     : std::max<size_t>(1, options.max_entries / kShards)),
      pool_bytes_per_shard_{(options.max_bytes - std::min(options.deny_max_bytes, options.max_bytes)) / kShards,
                            std::min(options.deny_max_bytes, options.max_bytes) / kShards} {}

size_t VerdictCache::EntryBytes(size_t key_bytes, const CachedVerdict& verdict) {
  // The key (in the map node), the response message, its wire copy and the node, list and
  // shared_ptr control blocks.
  return key_bytes + verdict.response.SpaceUsedLong() + verdict.wire.size() + 256;
}

void VerdictCache::Erase(Shard& shard, absl::node_hash_map<std::string, Entry, KeyHash, KeyEq>::iterator it) {
  PoolState& pool = shard.pools[it->second.pool];
  pool.bytes -= it->second.bytes;
  pool.lru.erase(it->second.lru);
  shard.entries.erase(it);
}

VerdictCache::Verdict VerdictCache::MakeVerdict(const v1::ValidateCertificateResponse& response) {
  auto verdict = std::make_shared<CachedVerdict>();
  verdict->response = response;
  verdict->response.set_from_cache(true);
  verdict->wire = verdict->response.SerializeAsString();
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
    Erase(shard, it);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  std::list<const std::string*>& lru = shard.pools[it->second.pool].lru;
  lru.splice(lru.begin(), lru, it->second.lru);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.verdict;
}

void VerdictCache::Insert(absl::string_view bytes, Verdict verdict, absl::Time now, absl::Time expires_at) {
  if (!enabled()) return;
  expires_at = std::min(expires_at, now + options_.ttl);
  if (expires_at <= now) return;
  const Pool pool = verdict->response.decision() == v1::ALLOW ? kAllow : kDeny;
  const size_t cost = EntryBytes(bytes.size(), *verdict);
  if (cost > pool_bytes_per_shard_[pool]) return;
  const HashedKey key{bytes, KeyHash()(bytes)};
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (auto it = shard.entries.find(key); it != shard.entries.end()) Erase(shard, it);
  PoolState& own = shard.pools[pool];
  // Room in its own pool's bytes; then in the entry count, where an ALLOW may also push out a
  // DENY but a DENY never pushes out an ALLOW.
  while (own.bytes + cost > pool_bytes_per_shard_[pool] && !own.lru.empty()) {
    Erase(shard, shard.entries.find(*own.lru.back()));
  }
  while (shard.entries.size() >= per_shard_) {
    PoolState* victim = nullptr;
    if (!shard.pools[kDeny].lru.empty()) {
      victim = &shard.pools[kDeny];  // a DENY goes first, whichever verdict arrives
    } else if (pool == kAllow && !own.lru.empty()) {
      victim = &own;
    }
    if (victim == nullptr) return;
    Erase(shard, shard.entries.find(*victim->lru.back()));
  }
  auto [inserted, _] = shard.entries.emplace(std::string(bytes), Entry{std::move(verdict), expires_at, {}, pool, cost});
  own.lru.push_front(&inserted->first);
  own.bytes += cost;
  inserted->second.lru = own.lru.begin();
}

void VerdictCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.entries.clear();
    shard.pools = {};
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

size_t VerdictCache::bytes() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.pools[kAllow].bytes + shard.pools[kDeny].bytes;
  }
  return n;
}

}  // namespace certguard::core
