#include "server/headers/format_catalogue.h"

#include <utility>

#include "server/headers/base64_der.h"
#include "server/headers/nginx_tabbed_pem.h"
#include "server/headers/pem_blocks.h"
#include "server/headers/pem_body.h"
#include "server/headers/rfc9440.h"
#include "server/headers/traefik.h"
#include "server/headers/url_encoded_pem.h"
#include "server/headers/xfcc.h"

namespace certguard::headers {
namespace {

// The decoders that need only the value, as FormatDecoders.
template <absl::Status (*Decode)(absl::string_view, CertCollector*)>
absl::Status ValueOnly(absl::string_view value, const DecodeOptions&, CertCollector* out,
                       std::optional<XfccMetadata>*) {
  return Decode(value, out);
}

absl::Status Xfcc(absl::string_view value, const DecodeOptions& options, CertCollector* out,
                  std::optional<XfccMetadata>* xfcc) {
  absl::StatusOr<XfccMetadata> metadata = DecodeXfcc(value, options.xfcc_element, out);
  if (!metadata.ok()) return metadata.status();
  *xfcc = *std::move(metadata);
  return absl::OkStatus();
}

// One line per format (fuzz/CMakeLists.txt reads these lines: keep each entry on one line).
// clang-format off
constexpr FormatInfo kFormats[] = {
    {Format::kBase64Der, "BASE64_DER", "X-ARR-ClientCert", ValueOnly<DecodeBase64Der>},
    {Format::kPemBody, "PEM_BODY", "X-ARR-ClientCert", ValueOnly<DecodePemBody>},
    {Format::kPem, "PEM", "ssl-client-cert", ValueOnly<DecodePemBlocks>},
    {Format::kUrlEncodedPem, "URL_ENCODED_PEM", "X-Amzn-Mtls-Clientcert", ValueOnly<DecodeUrlEncodedPem>},
    {Format::kXfcc, "XFCC", "X-Forwarded-Client-Cert", Xfcc},
    {Format::kRfc9440, "RFC9440", "Client-Cert", ValueOnly<DecodeClientCert>},
    {Format::kNginxTabbedPem, "NGINX_TABBED_PEM", "ssl-client-cert", ValueOnly<DecodeNginxTabbedPem>},
    {Format::kTraefik, "TRAEFIK", "X-Forwarded-Tls-Client-Cert", ValueOnly<DecodeTraefik>},
};
// clang-format on

constexpr KnownHeader kKnownHeaders[] = {
    {"x-forwarded-client-cert", Format::kXfcc, HeaderRole::kFixesFormat, "Envoy, Istio, Azure Container Apps"},
    {"client-cert", Format::kRfc9440, HeaderRole::kFixesFormat, "RFC 9440 proxies"},
    {"client-cert-chain", Format::kRfc9440, HeaderRole::kChainOnly, "RFC 9440 proxies (the chain)"},
    {"x-forwarded-tls-client-cert", Format::kTraefik, HeaderRole::kFixesFormat, "Traefik"},
    {"x-amzn-mtls-clientcert-leaf", Format::kUrlEncodedPem, HeaderRole::kFixesFormat, "AWS ALB, verify mode"},
    {"x-amzn-mtls-clientcert", Format::kUrlEncodedPem, HeaderRole::kFixesFormat, "AWS ALB, passthrough mode"},
    {"x-amzn-mtls-clientcert-", Format::kUrlEncodedPem, HeaderRole::kFixesFormatByPrefix, "AWS ALB"},
    {"cf-client-cert-der-base64", Format::kBase64Der, HeaderRole::kFixesFormat, "Cloudflare"},
    {"x-arr-clientcert", Format::kBase64Der, HeaderRole::kDetectByValue, "Azure App Service"},
    {"ssl-client-cert", Format::kUnspecified, HeaderRole::kDetectByValue, "nginx, HAProxy (convention)"},
    {"x-ssl-client-cert", Format::kUnspecified, HeaderRole::kDetectByValue, "nginx, HAProxy (convention)"},
};

}  // namespace

std::span<const FormatInfo> AllFormats() { return kFormats; }

const FormatInfo* FindFormat(Format format) {
  for (const FormatInfo& info : kFormats) {
    if (info.format == format) return &info;
  }
  return nullptr;
}

std::span<const KnownHeader> KnownHeaders() { return kKnownHeaders; }

}  // namespace certguard::headers
