// A bounded, sharded cache of verdicts so a certificate that was just verified is not verified
// again. Keys (core::VerdictKey) combine the registry revision, the policy id and the forwarded header bytes
// (which determine the presented chain; compared in full, never by hash alone), so a reload (new revision) never sees
// old verdicts. Each entry expires at the earliest of: insertion + TTL, the leaf's notAfter,
// the leaf's notBefore when that is still in the future, and the policy's earliest CRL
// nextUpdate. An entry holds the response exactly as a hit serves it (from_cache = true) and
// its wire encoding, made once at insert, so a hit copies nothing but a reference.
// Thread-safe: 16 independently locked shards, no global lock on the hot path.
#ifndef CERTGUARD_SERVER_CORE_VERDICT_CACHE_H_
#define CERTGUARD_SERVER_CORE_VERDICT_CACHE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/node_hash_map.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"

namespace certguard::core {

struct VerdictCacheOptions {
  size_t max_entries = 10000;  // 0 disables the cache
  absl::Duration ttl = absl::Minutes(5);
  // Memory, in bytes of key + response + wire encoding + bookkeeping (EntryBytes), for every
  // entry; at most deny_max_bytes of it for DENY verdicts, which therefore never evict an ALLOW:
  // a client sending endless distinct refused chains only cycles the DENY share.
  size_t max_bytes = 48 << 20;
  size_t deny_max_bytes = 8 << 20;
};

// One cached verdict, immutable once built.
struct CachedVerdict {
  v1::ValidateCertificateResponse response;  // from_cache = true
  // response.SerializeAsString(), made once: every hit sends these same bytes (the front end
  // wraps them for its transport without copying, holding the verdict alive).
  std::string wire;
};

class VerdictCache {
 public:
  using Verdict = std::shared_ptr<const CachedVerdict>;

  explicit VerdictCache(VerdictCacheOptions options);

  // The entry a hit will serve for the freshly evaluated `response`: a copy marked from_cache
  // and its wire encoding.
  static Verdict MakeVerdict(const v1::ValidateCertificateResponse& response);

  bool enabled() const { return options_.max_entries > 0; }
  // A live verdict for `key` at `now`, or null.
  Verdict Lookup(absl::string_view key, absl::Time now);
  // Stores `verdict` until `expires_at` (capped by the TTL from `now`).
  void Insert(absl::string_view key, Verdict verdict, absl::Time now, absl::Time expires_at);
  // Drops every entry (called on reload; entries of other revisions would never match anyway).
  void Clear();

  size_t size() const;
  size_t bytes() const;
  // What an entry of `key_bytes` holding `verdict` counts against the budget.
  static size_t EntryBytes(size_t key_bytes, const CachedVerdict& verdict);
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  // A key with its hash, computed once per call for both the shard and the map.
  struct HashedKey {
    absl::string_view bytes;
    size_t hash;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(absl::string_view k) const;
    size_t operator()(const HashedKey& k) const { return k.hash; }
  };
  struct KeyEq {
    using is_transparent = void;
    bool operator()(absl::string_view a, absl::string_view b) const { return a == b; }
    bool operator()(absl::string_view a, const HashedKey& b) const { return a == b.bytes; }
    bool operator()(const HashedKey& a, absl::string_view b) const { return a.bytes == b; }
  };
  // Two LRU pools per shard: ALLOW verdicts and the rest (DENY), each with its byte budget.
  enum Pool { kAllow = 0, kDeny = 1 };
  struct Entry {
    Verdict verdict;
    absl::Time expires_at;
    std::list<const std::string*>::iterator lru;
    Pool pool;
    size_t bytes;
  };
  struct PoolState {
    std::list<const std::string*> lru;  // the map's keys; front = most recently used
    size_t bytes = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::node_hash_map<std::string, Entry, KeyHash, KeyEq> entries;  // node map: keys never move
    std::array<PoolState, 2> pools;
  };
  Shard& ShardFor(const HashedKey& key);
  // Removes `it` from its shard (mu held).
  static void Erase(Shard& shard, absl::node_hash_map<std::string, Entry, KeyHash, KeyEq>::iterator it);

  VerdictCacheOptions options_;
  size_t per_shard_;
  std::array<size_t, 2> pool_bytes_per_shard_;
  std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_VERDICT_CACHE_H_
