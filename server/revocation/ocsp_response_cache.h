// A bounded LRU cache of verified OCSP answers keyed by the request's CertID (issuer name hash,
// issuer key hash, serial). An entry is served only while `now < expires_at`; the checker sets
// expires_at to the response's nextUpdate, or to fetch time + a short default when the
// response has none. Thread-safe (a common::ShardedLruCache; only the OCSP path on a cache miss
// does I/O, never under a lock).
#ifndef CERTGUARD_SERVER_REVOCATION_OCSP_RESPONSE_CACHE_H_
#define CERTGUARD_SERVER_REVOCATION_OCSP_RESPONSE_CACHE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "server/common/sharded_lru_cache.h"
#include "server/x509/ocsp.h"

namespace certguard::revocation {

struct OcspCacheEntry {
  x509::OcspResponseInfo info;
  std::string responder_url;
  absl::Time expires_at;
};

class OcspResponseCache {
 public:
  // `max_entries` 0 disables caching.
  explicit OcspResponseCache(size_t max_entries) : cache_(common::LruCacheOptions{.max_entries = max_entries}) {}

  // The live entry for `cert_id_der` at `now`; an expired entry is dropped.
  std::optional<OcspCacheEntry> Lookup(const std::string& cert_id_der, absl::Time now);
  // Stores (or replaces) an entry, evicting the least recently used one when full.
  void Insert(const std::string& cert_id_der, OcspCacheEntry entry);

  size_t size() const { return cache_.size(); }
  uint64_t hits() const { return cache_.hits(); }
  uint64_t misses() const { return cache_.misses(); }

 private:
  common::ShardedLruCache<std::shared_ptr<const OcspCacheEntry>> cache_;
};

}  // namespace certguard::revocation

#endif  // CERTGUARD_SERVER_REVOCATION_OCSP_RESPONSE_CACHE_H_
