#include "server/ext_authz/request_extraction.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace certguard::ext_authz {
namespace {

using envoy::service::auth::v3::AttributeContext;

constexpr char kClientCert[] = "client-cert";
constexpr char kClientCertChain[] = "client-cert-chain";

// Header lookup over either representation Envoy may send: the `headers` map (keys lower-cased,
// repeats merged) or `header_map` (raw, repeats separate; joined here with ',' like the map).
class RequestHeaders {
 public:
  RequestHeaders(const AttributeContext::HttpRequest& http, std::list<std::string>* storage)
      : http_(http), storage_(storage) {}

  // The value of `name` (lower-case), or nullopt when the request does not carry it.
  std::optional<absl::string_view> Find(absl::string_view name) const {
    if (!http_.headers().empty()) {
      if (auto it = http_.headers().find(std::string(name)); it != http_.headers().end()) {
        return absl::string_view(it->second);
      }
    }
    if (http_.header_map().headers().empty()) return std::nullopt;
    std::optional<absl::string_view> found;
    std::string joined;
    int count = 0;
    for (const envoy::config::core::v3::HeaderValue& h : http_.header_map().headers()) {
      if (!absl::EqualsIgnoreCase(h.key(), name)) continue;
      const std::string& value = h.raw_value().empty() ? h.value() : h.raw_value();
      if (count++ == 0) {
        found = absl::string_view(value);
        joined = value;
      } else {
        joined.append(",").append(value);
      }
    }
    if (count > 1) {
      storage_->push_back(std::move(joined));
      found = absl::string_view(storage_->back());
    }
    return found;
  }

 private:
  const AttributeContext::HttpRequest& http_;
  std::list<std::string>* storage_;
};

bool IsBlank(absl::string_view value) { return absl::StripAsciiWhitespace(value).empty(); }

}  // namespace

ExtractedRequest ExtractRequest(const envoy::service::auth::v3::CheckRequest& request, const ExtAuthzOptions& options) {
  ExtractedRequest out;
  const AttributeContext& attributes = request.attributes();
  const AttributeContext::HttpRequest& http = attributes.request().http();

  // Policy.
  if (auto it = attributes.context_extensions().find(options.policy_context_key);
      it != attributes.context_extensions().end() && !it->second.empty()) {
    out.policy_id = it->second;
    out.policy_source = PolicySource::kContextExtension;
  } else if (!options.default_policy.empty()) {
    out.policy_id = options.default_policy;
    out.policy_source = PolicySource::kDefault;
  }

  // Path and scheme.
  out.input.path = http.path();
  // Only "https" is HTTPS; empty, "http", "ws", "http " or anything else is not (fail closed).
  out.input.is_https = absl::EqualsIgnoreCase(http.scheme(), "https");

  // Certificate: the first source with a value wins.
  RequestHeaders request_headers(http, &out.storage);
  for (const CertSource& source : options.cert_sources) {
    if (source.kind == CertSource::Kind::kPeerCertificate) {
      const std::string& peer = attributes.source().certificate();
      if (out.certificate_source.empty() && !IsBlank(peer)) {
        out.input.headers.push_back({options.peer_certificate_name, peer, headers::Format::kUrlEncodedPem});
        out.certificate_source = "peer";
      }
      continue;
    }
    std::optional<absl::string_view> value = request_headers.Find(source.header);
    std::optional<absl::string_view> chain;
    if (source.header == kClientCert) {
      chain = request_headers.Find(kClientCertChain);
      if (chain.has_value()) out.forwarded_headers_present.emplace_back(kClientCertChain);
    }
    if (!value.has_value()) continue;
    out.forwarded_headers_present.push_back(source.header);
    if (!out.certificate_source.empty() || IsBlank(*value)) continue;
    out.input.headers.push_back({source.header, *value, source.format});
    if (chain.has_value()) {
      out.input.headers.push_back({kClientCertChain, *chain, headers::Format::kUnspecified});
    }
    out.certificate_source = source.header;
  }

  // Identity headers the client sent: never passed on as they came.
  for (const std::string* name : options.identity_headers.Fields()) {
    if (!name->empty() && request_headers.Find(*name).has_value()) out.identity_headers_present.push_back(*name);
  }
  return out;
}

}  // namespace certguard::ext_authz
