// A bounded, sharded cache of verdicts so a certificate that was just verified is not verified
// again. Keys (core::VerdictKey) combine the registry revision, the policy id and the forwarded header bytes
// (which determine the presented chain; compared in full, never by hash alone), so a reload (new revision) never sees
// old verdicts. Each entry expires at the earliest of: insertion + TTL, the leaf's notAfter,
// the leaf's notBefore when that is still in the future, and the policy's earliest CRL
// nextUpdate. An entry holds the response exactly as a hit serves it (from_cache = true) and
// its wire encoding, made once at insert, so a hit copies nothing but a reference.
// Thread-safe: a common::ShardedLruCache (16 independently locked shards, no global lock on the
// hot path).
#ifndef CERTGUARD_SERVER_CORE_VERDICT_CACHE_H_
#define CERTGUARD_SERVER_CORE_VERDICT_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/common/sharded_lru_cache.h"

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

  bool enabled() const { return cache_.enabled(); }
  // A live verdict for `key` at `now`, or null.
  Verdict Lookup(absl::string_view key, absl::Time now);
  // Stores `verdict` until `expires_at` (capped by the TTL from `now`).
  void Insert(absl::string_view key, Verdict verdict, absl::Time now, absl::Time expires_at);
  // Drops every entry (called on reload; entries of other revisions would never match anyway).
  void Clear() { cache_.Clear(); }

  size_t size() const { return cache_.size(); }
  size_t bytes() const { return cache_.bytes(); }
  // What an entry of `key_bytes` holding `verdict` counts against the budget.
  static size_t EntryBytes(size_t key_bytes, const CachedVerdict& verdict);
  uint64_t hits() const { return cache_.hits(); }
  uint64_t misses() const { return cache_.misses(); }

 private:
  VerdictCacheOptions options_;
  // Pool 0: ALLOW verdicts; pool 1: the rest (DENY), which never evicts an ALLOW.
  common::ShardedLruCache<Verdict> cache_;
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_VERDICT_CACHE_H_
