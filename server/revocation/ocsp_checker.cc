#include "server/revocation/ocsp_checker.h"

#include "absl/strings/str_cat.h"
#include "server/x509/ocsp.h"

namespace certguard::revocation {
namespace {

std::string StatusText(const x509::OcspResponseInfo& info) {
  switch (info.status) {
    case x509::OcspCertStatus::kGood:
      return "good";
    case x509::OcspCertStatus::kRevoked:
      return absl::StrCat("revoked at ", absl::FormatTime(absl::RFC3339_sec, info.revocation_time, absl::UTCTimeZone()),
                          info.revocation_reason >= 0 ? absl::StrCat(" (reason ", info.revocation_reason, ")") : "");
    case x509::OcspCertStatus::kUnknown:
      return "unknown to the responder";
  }
  return "?";
}

OcspOutcome FromEntry(const OcspCacheEntry& e, bool from_cache) {
  OcspOutcome o;
  switch (e.info.status) {
    case x509::OcspCertStatus::kGood:
      o.kind = OcspOutcome::Kind::kGood;
      break;
    case x509::OcspCertStatus::kRevoked:
      o.kind = OcspOutcome::Kind::kRevoked;
      break;
    case x509::OcspCertStatus::kUnknown:
      o.kind = OcspOutcome::Kind::kUnknown;
      break;
  }
  o.revocation_time = e.info.revocation_time;
  o.cache_until = e.expires_at;
  o.from_cache = from_cache;
  o.url = e.responder_url;
  o.detail =
      absl::StrCat(StatusText(e.info), " (", from_cache ? "cached response from " : "responder ", e.responder_url,
                   "; valid until ", absl::FormatTime(absl::RFC3339_sec, e.expires_at, absl::UTCTimeZone()), ")");
  return o;
}

OcspOutcome Error(std::string url, std::string detail) {
  OcspOutcome o;
  o.kind = OcspOutcome::Kind::kError;
  o.url = std::move(url);
  o.detail = std::move(detail);
  return o;
}

}  // namespace

OcspChecker::OcspChecker(OcspCheckerOptions options, std::shared_ptr<const OcspTransport> transport,
                         std::shared_ptr<ResponderFailures> failures)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      failures_(std::move(failures)),
      cache_(options_.max_cache_entries) {}

OcspOutcome OcspChecker::Check(const x509::Certificate& leaf, std::span<const x509::CertificatePtr> issuer_path,
                               absl::Time now) const {
  if (issuer_path.empty()) return Error("", "no issuer to ask about");
  absl::StatusOr<x509::OcspRequest> request = x509::BuildOcspRequest(leaf, *issuer_path[0], options_.nonce);
  if (!request.ok()) return Error("", absl::StrCat("building the request: ", request.status().message()));
  if (std::optional<OcspCacheEntry> hit = cache_.Lookup(request->cert_id_der, now)) {
    return FromEntry(*hit, /*from_cache=*/true);
  }
  const std::string url = options_.responder_url.empty() ? x509::OcspUrlFromAia(leaf) : options_.responder_url;
  if (url.empty()) return Error("", "no responder: the certificate has no AIA OCSP URL and none is configured");
  if (std::optional<ResponderFailures::Failure> recent = failures_->Recent(url, now, options_.failure_ttl)) {
    return Error(
        url,
        absl::StrCat(recent->message, " (at ", absl::FormatTime(absl::RFC3339_sec, recent->at, absl::UTCTimeZone()),
                     "; not asked again before ",
                     absl::FormatTime(absl::RFC3339_sec, recent->at + options_.failure_ttl, absl::UTCTimeZone()), ")"));
  }
  absl::StatusOr<std::string> body = transport_->Post(url, request->der, options_.timeout);
  if (!body.ok()) {
    failures_->Record(url, now, std::string(body.status().message()));
    return Error(url, std::string(body.status().message()));
  }
  failures_->Clear(url);
  absl::StatusOr<x509::OcspResponseInfo> info =
      x509::VerifyOcspResponse(*body, *request, issuer_path, now, options_.skew);
  if (!info.ok()) return Error(url, absl::StrCat("responder ", url, ": ", info.status().message()));
  OcspCacheEntry entry;
  entry.info = *info;
  entry.responder_url = url;
  entry.expires_at = info->next_update == absl::InfiniteFuture() ? now + options_.default_ttl : info->next_update;
  if (entry.expires_at > now) cache_.Insert(request->cert_id_der, entry);
  return FromEntry(entry, /*from_cache=*/false);
}

}  // namespace certguard::revocation
