#include "server/x509/certificate_cache.h"

#include <utility>

namespace certguard::x509 {

CertificateCache::CertificateCache(size_t max_entries, size_t max_bytes)
    : cache_(common::LruCacheOptions{.max_entries = max_bytes == 0 ? 0 : max_entries, .pool_bytes = {max_bytes, 0}}) {}

absl::StatusOr<CertificatePtr> CertificateCache::Parse(absl::string_view der) {
  if (!enabled()) return Certificate::FromDer(der);
  if (std::optional<CertificatePtr> hit = cache_.Lookup(der, absl::InfinitePast())) return *std::move(hit);
  // Parsed outside any lock: a parse is slow, and two threads parsing the same new bytes at
  // once both get a correct (equal) certificate; the second insert replaces the first.
  absl::StatusOr<CertificatePtr> parsed = Certificate::FromDer(der);
  if (!parsed.ok()) return parsed;
  cache_.Insert(der, *parsed, (*parsed)->ApproximateBytes() + der.size(), absl::InfiniteFuture());
  return parsed;
}

}  // namespace certguard::x509
