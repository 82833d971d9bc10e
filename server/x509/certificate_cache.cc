#include "server/x509/certificate_cache.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace certguard::x509 {

CertificateCache::CertificateCache(size_t max_entries, size_t max_bytes)
    : per_shard_(max_entries == 0 || max_bytes == 0 ? 0 : std::max<size_t>(1, (max_entries + kShards - 1) / kShards)),
      bytes_per_shard_(max_bytes / kShards) {}

CertificateCache::Shard& CertificateCache::ShardFor(std::string_view der) {
  // The map hashes again with its own seed; this one only spreads keys over the shards.
  return shards_[absl::HashOf(der) % kShards];
}

absl::StatusOr<CertificatePtr> CertificateCache::Parse(std::string_view der) {
  if (!enabled()) return Certificate::FromDer(der);
  Shard& shard = ShardFor(der);
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.entries.find(der);
    if (it != shard.entries.end()) {
      shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
      hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second.certificate;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  // Parsed outside the lock: a parse is slow, and two threads parsing the same new bytes at
  // once both get a correct (equal) certificate; the second insert finds the first.
  absl::StatusOr<CertificatePtr> parsed = Certificate::FromDer(der);
  if (!parsed.ok()) return parsed;
  const std::string_view key = (*parsed)->der();
  const size_t bytes = (*parsed)->ApproximateBytes();
  if (bytes > bytes_per_shard_) return parsed;
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it != shard.entries.end()) return it->second.certificate;
  while ((shard.entries.size() >= per_shard_ || shard.bytes + bytes > bytes_per_shard_) && !shard.lru.empty()) {
    auto oldest = shard.entries.find(shard.lru.back());
    shard.bytes -= oldest->second.bytes;
    shard.entries.erase(oldest);
    shard.lru.pop_back();
  }
  shard.lru.push_front(key);
  shard.entries.emplace(key, Entry{*parsed, shard.lru.begin(), bytes});
  shard.bytes += bytes;
  return parsed;
}

size_t CertificateCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

size_t CertificateCache::bytes() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.bytes;
  }
  return n;
}

}  // namespace certguard::x509
