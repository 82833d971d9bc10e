// ShardedLruCache: certguard's one cache mechanism (verdicts, parsed certificates, OCSP answers).
// A map from byte-string keys to values (cheap to copy: shared pointers), bounded by a number of
// entries and by bytes, with an expiry per entry.
//
// Keys are compared in full, never by hash alone. The keys are spread over `shards` shards, each
// an LRU under its own mutex holding 1/shards of the entry limit (rounded up, at least one) and
// of each byte budget. Every entry belongs to one of two pools, each with its own byte budget;
// an entry of pool 1 never evicts an entry of pool 0 (the verdict cache keeps DENY verdicts in
// pool 1, so a client sending endless refused chains only cycles that pool). An entry is served
// while `now < expires_at`; an expired one is dropped when it is next looked up. Thread-safe.
#ifndef CERTGUARD_SERVER_COMMON_SHARDED_LRU_CACHE_H_
#define CERTGUARD_SERVER_COMMON_SHARDED_LRU_CACHE_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace certguard::common {

struct LruCacheOptions {
  size_t max_entries = 0;  // 0 disables the cache
  // Byte budget of each pool (what the callers' `bytes` of its entries may add up to).
  std::array<size_t, 2> pool_bytes = {std::numeric_limits<size_t>::max(), 0};
  size_t shards = 16;
};

template <typename Value>
class ShardedLruCache {
 public:
  explicit ShardedLruCache(const LruCacheOptions& options)
      : shard_count_(std::max<size_t>(1, options.shards)),
        per_shard_(options.max_entries == 0
                       ? 0
                       : std::max<size_t>(1, (options.max_entries + shard_count_ - 1) / shard_count_)),
        pool_bytes_per_shard_{options.pool_bytes[0] / shard_count_, options.pool_bytes[1] / shard_count_},
        shards_(shard_count_) {}
  ShardedLruCache(const ShardedLruCache&) = delete;
  ShardedLruCache& operator=(const ShardedLruCache&) = delete;

  bool enabled() const { return per_shard_ > 0; }

  // The live value of `key` at `now`, or nullopt (an expired entry is dropped). Counts a hit
  // or a miss.
  std::optional<Value> Lookup(absl::string_view bytes, absl::Time now) {
    if (!enabled()) return std::nullopt;
    const HashedKey key{bytes, absl::HashOf(bytes)};
    Shard& shard = ShardFor(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end()) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    if (now >= it->second.expires_at) {
      Erase(shard, it);
      misses_.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    std::list<const std::string*>& lru = shard.pools[it->second.pool].lru;
    lru.splice(lru.begin(), lru, it->second.lru);
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second.value;
  }

  // Stores `value` under `key` (replacing an entry of the same key) until `expires_at`,
  // charging `bytes` to `pool` (0 or 1). Makes room by evicting the least recently used
  // entries of its own pool (bytes), then of pool 1 and, for a pool 0 entry, of pool 0
  // (entries). An entry over its pool's share of a shard is not kept.
  void Insert(absl::string_view bytes_of_key, Value value, size_t bytes, absl::Time expires_at, size_t pool = 0) {
    if (!enabled() || pool > 1 || bytes > pool_bytes_per_shard_[pool]) return;
    const HashedKey key{bytes_of_key, absl::HashOf(bytes_of_key)};
    Shard& shard = ShardFor(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    if (auto it = shard.entries.find(key); it != shard.entries.end()) Erase(shard, it);
    PoolState& own = shard.pools[pool];
    while (own.bytes + bytes > pool_bytes_per_shard_[pool] && !own.lru.empty()) {
      Erase(shard, shard.entries.find(*own.lru.back()));
    }
    while (shard.entries.size() >= per_shard_) {
      PoolState* victim = nullptr;
      if (!shard.pools[1].lru.empty()) {
        victim = &shard.pools[1];  // pool 1 goes first, whichever entry arrives
      } else if (pool == 0 && !own.lru.empty()) {
        victim = &own;
      }
      if (victim == nullptr) return;
      Erase(shard, shard.entries.find(*victim->lru.back()));
    }
    auto [inserted, unused] =
        shard.entries.emplace(std::string(bytes_of_key), Entry{std::move(value), expires_at, {}, pool, bytes});
    own.lru.push_front(&inserted->first);
    own.bytes += bytes;
    inserted->second.lru = own.lru.begin();
  }

  // Drops every entry.
  void Clear() {
    for (Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      shard.entries.clear();
      shard.pools = {};
    }
  }

  size_t size() const {
    size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      n += shard.entries.size();
    }
    return n;
  }
  // The `bytes` of every entry.
  size_t bytes() const {
    size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      n += shard.pools[0].bytes + shard.pools[1].bytes;
    }
    return n;
  }
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  // A key with its hash, computed once per call for both the shard and the map.
  struct HashedKey {
    absl::string_view bytes;
    size_t hash;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(absl::string_view k) const { return absl::HashOf(k); }
    size_t operator()(const std::string& k) const { return absl::HashOf(absl::string_view(k)); }
    size_t operator()(const HashedKey& k) const { return k.hash; }
  };
  struct KeyEq {
    using is_transparent = void;
    static absl::string_view View(const std::string& s) { return s; }
    static absl::string_view View(absl::string_view s) { return s; }
    static absl::string_view View(const HashedKey& k) { return k.bytes; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) == View(b);
    }
  };
  struct Entry {
    Value value;
    absl::Time expires_at;
    std::list<const std::string*>::iterator lru;
    size_t pool;
    size_t bytes;
  };
  struct PoolState {
    std::list<const std::string*> lru;  // the map's keys; front = most recently used
    size_t bytes = 0;
  };
  using Map = absl::node_hash_map<std::string, Entry, KeyHash, KeyEq>;  // node map: keys never move
  struct Shard {
    mutable std::mutex mu;
    Map entries;
    std::array<PoolState, 2> pools;
  };

  Shard& ShardFor(const HashedKey& key) {
    // The top bits: the map itself uses the low ones.
    return shards_[(key.hash >> 32) % shard_count_];
  }
  // Removes `it` from its shard (mu held).
  static void Erase(Shard& shard, typename Map::iterator it) {
    PoolState& pool = shard.pools[it->second.pool];
    pool.bytes -= it->second.bytes;
    pool.lru.erase(it->second.lru);
    shard.entries.erase(it);
  }

  const size_t shard_count_;
  const size_t per_shard_;
  const std::array<size_t, 2> pool_bytes_per_shard_;
  std::vector<Shard> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace certguard::common

#endif  // CERTGUARD_SERVER_COMMON_SHARDED_LRU_CACHE_H_
