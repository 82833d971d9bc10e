// A bounded cache of parsed certificates keyed by their exact DER bytes, so a client certificate
// seen again (under another policy, after its verdict expired, or with the verdict cache off)
// is not parsed again: with OpenSSL 3.0, d2i_X509 (its provider-based public-key decoder)
// costs more than the signature checks of a whole chain.
//
// Parsing is a pure function of the bytes, so a hit returns exactly what Certificate::FromDer
// would; only successful parses are kept (malformed input is parsed, and refused, every time).
// Keys are compared byte for byte, never by hash alone. Memory is bounded twice: by max_entries and by
// max_bytes of Certificate::ApproximateBytes() (each shard holds 1/16 of both; a certificate
// larger than a shard's byte share is parsed but not kept). Thread-safe: 16 shards, each an LRU
// under its own mutex.
#ifndef CERTGUARD_SERVER_X509_CERTIFICATE_CACHE_H_
#define CERTGUARD_SERVER_X509_CERTIFICATE_CACHE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
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
  absl::StatusOr<CertificatePtr> Parse(std::string_view der);

  bool enabled() const { return per_shard_ > 0; }
  size_t size() const;
  size_t bytes() const;  // ApproximateBytes() of every entry
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    CertificatePtr certificate;  // owns the DER bytes the map key views
    std::list<std::string_view>::iterator lru;
    size_t bytes;
  };
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string_view, Entry> entries;
    std::list<std::string_view> lru;  // front = most recently used
    size_t bytes = 0;
  };
  Shard& ShardFor(std::string_view der);

  size_t per_shard_;
  size_t bytes_per_shard_;
  std::array<Shard, kShards> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_CERTIFICATE_CACHE_H_
