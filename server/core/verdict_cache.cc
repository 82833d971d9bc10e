#include "server/core/verdict_cache.h"

#include <algorithm>

namespace certguard::core {

VerdictCache::VerdictCache(VerdictCacheOptions options)
    : options_(options),
      cache_(common::LruCacheOptions{
          .max_entries = options.max_bytes == 0 ? 0 : options.max_entries,
          .pool_bytes = {options.max_bytes - std::min(options.deny_max_bytes, options.max_bytes),
                         std::min(options.deny_max_bytes, options.max_bytes)},
      }) {}

size_t VerdictCache::EntryBytes(size_t key_bytes, const CachedVerdict& verdict) {
  // The key (in the map node), the response message, its wire copy and the node, list and
  // shared_ptr control blocks.
  return key_bytes + verdict.response.SpaceUsedLong() + verdict.wire.size() + 256;
}

VerdictCache::Verdict VerdictCache::MakeVerdict(const v1::ValidateCertificateResponse& response) {
  auto verdict = std::make_shared<CachedVerdict>();
  verdict->response = response;
  verdict->response.set_from_cache(true);
  verdict->wire = verdict->response.SerializeAsString();
  return verdict;
}

VerdictCache::Verdict VerdictCache::Lookup(absl::string_view key, absl::Time now) {
  std::optional<Verdict> hit = cache_.Lookup(absl::string_view(key.data(), key.size()), now);
  return hit.has_value() ? *std::move(hit) : nullptr;
}

void VerdictCache::Insert(absl::string_view key, Verdict verdict, absl::Time now, absl::Time expires_at) {
  if (!enabled()) return;
  expires_at = std::min(expires_at, now + options_.ttl);
  if (expires_at <= now) return;
  const size_t pool = verdict->response.decision() == v1::ALLOW ? 0 : 1;
  const size_t cost = EntryBytes(key.size(), *verdict);
  cache_.Insert(absl::string_view(key.data(), key.size()), std::move(verdict), cost, expires_at, pool);
}

}  // namespace certguard::core
