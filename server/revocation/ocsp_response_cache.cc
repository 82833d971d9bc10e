#include "server/revocation/ocsp_response_cache.h"

#include <utility>

namespace certguard::revocation {

std::optional<OcspCacheEntry> OcspResponseCache::Lookup(const std::string& cert_id_der, absl::Time now) {
  std::optional<std::shared_ptr<const OcspCacheEntry>> hit = cache_.Lookup(cert_id_der, now);
  if (!hit.has_value()) return std::nullopt;
  return **hit;
}

void OcspResponseCache::Insert(const std::string& cert_id_der, OcspCacheEntry entry) {
  const absl::Time expires_at = entry.expires_at;
  const size_t bytes = cert_id_der.size() + sizeof(OcspCacheEntry) + entry.responder_url.size();
  cache_.Insert(cert_id_der, std::make_shared<const OcspCacheEntry>(std::move(entry)), bytes, expires_at);
}

}  // namespace certguard::revocation
