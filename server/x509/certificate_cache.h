// A bounded cache of parsed certificates keyed by their exact DER bytes, so a client certificate
// seen again (under another policy, after its verdict expired, or with the verdict cache off)
// is not parsed again: with OpenSSL 3.0, d2i_X509 (its provider-based public-key decoder)
// costs more than the signature checks of a whole chain.
//
// Parsing is a pure function of the bytes, so a hit returns exactly what Certificate::FromDer
// would; only successful parses are kept (malformed input is parsed, and refused, every time).
// Keys are compared byte for byte, never by hash alone. Memory is bounded twice: by max_entries and by
// max_bytes of Certificate::ApproximateBytes() plus the key (each shard holds 1/16 of both; a
// certificate larger than a shard's byte share is parsed but not kept). Thread-safe: a
// common::ShardedLruCache (16 shards, each an LRU under its own mutex).
#ifndef CERTGUARD_SERVER_X509_CERTIFICATE_CACHE_H_
#define CERTGUARD_SERVER_X509_CERTIFICATE_CACHE_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/common/sharded_lru_cache.h"
#include "server/x509/certificate.h"

namespace certguard::x509 {

class CertificateCache {
 public:
  // max_entries == 0 or max_bytes == 0 disables caching: Parse is then Certificate::FromDer.
  explicit CertificateCache(size_t max_entries, size_t max_bytes = kDefaultMaxBytes);
  static constexpr size_t kDefaultMaxBytes = 24 << 20;
  CertificateCache(const CertificateCache&) = delete;
  CertificateCache& operator=(const CertificateCache&) = delete;

  // The certificate parsed from `der`: from the cache, or parsed now (and cached on success).
  absl::StatusOr<CertificatePtr> Parse(absl::string_view der);

  bool enabled() const { return cache_.enabled(); }
  size_t size() const { return cache_.size(); }
  size_t bytes() const { return cache_.bytes(); }  // ApproximateBytes() + the key, of every entry
  uint64_t hits() const { return cache_.hits(); }
  uint64_t misses() const { return cache_.misses(); }

 private:
  common::ShardedLruCache<CertificatePtr> cache_;
};

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_CERTIFICATE_CACHE_H_
