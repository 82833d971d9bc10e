#include "server/revocation/ocsp_transport.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/revocation/http_post.h"
#include "server/x509/ocsp.h"

namespace certguard::revocation {

absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url) {
  constexpr absl::string_view kScheme = "http://";
  if (!absl::StartsWithIgnoreCase(url, kScheme)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", url.substr(0, 200), "\": only http:// OCSP responder URLs are supported"));
  }
  absl::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  out.path = slash == absl::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!out.path.empty() && out.path[0] != '/') out.path.insert(0, "/");
  if (absl::StrContains(authority, "@")) {
    return absl::InvalidArgumentError(absl::StrCat("\"", url.substr(0, 200), "\": user info is not supported"));
  }
  absl::string_view host = authority, port;
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return absl::InvalidArgumentError("bad IPv6 literal in URL");
    host = authority.substr(1, close - 1);
    absl::string_view after = authority.substr(close + 1);
    if (absl::StartsWith(after, ":"))
      port = after.substr(1);
    else if (!after.empty())
      return absl::InvalidArgumentError("bad URL authority");
  } else if (const size_t colon = authority.rfind(':'); colon != absl::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return absl::InvalidArgumentError(absl::StrCat("\"", url.substr(0, 200), "\": no host"));
  out.host = std::string(host);
  if (!port.empty() && (!absl::SimpleAtoi(port, &out.port) || out.port <= 0 || out.port > 65535)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", url.substr(0, 200), "\": bad port"));
  }
  return out;
}

absl::StatusOr<std::string> HttpOcspTransport::Post(absl::string_view url, const std::string& request_der,
                                                    absl::Duration timeout) const {
  absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
  if (!parsed.ok()) return parsed.status();
  HttpPostRequest request{parsed->host,
                          parsed->port,
                          parsed->path,
                          {{"Content-Type", "application/ocsp-request"}, {"Accept", "application/ocsp-response"}},
                          request_der};
  absl::StatusOr<HttpPostResponse> res = HttpPost(request, absl::Now() + timeout, x509::kMaxOcspResponseBytes);
  if (absl::IsResourceExhausted(res.status())) {
    return absl::ResourceExhaustedError(
        absl::StrCat("OCSP responder ", url.substr(0, 200), ": ", res.status().message()));
  }
  if (!res.ok()) {
    return absl::UnavailableError(absl::StrCat("OCSP responder ", url.substr(0, 200), ": ", res.status().message()));
  }
  if (res->status != 200) {
    return absl::UnavailableError(absl::StrCat("OCSP responder ", url.substr(0, 200), ": HTTP ", res->status));
  }
  return std::move(res->body);
}

std::shared_ptr<const OcspTransport> DefaultOcspTransport() {
  static const auto* transport = new std::shared_ptr<const OcspTransport>(std::make_shared<HttpOcspTransport>());
  return *transport;
}

}  // namespace certguard::revocation
