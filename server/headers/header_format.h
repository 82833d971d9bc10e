// Forwarding formats a proxy may use to put a client certificate into an HTTP header.
#ifndef CERTGUARD_SERVER_HEADERS_HEADER_FORMAT_H_
#define CERTGUARD_SERVER_HEADERS_HEADER_FORMAT_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace certguard::headers {

// Mirrors certguard.v1.HeaderFormat (same numeric values).
enum class Format {
  kUnspecified = 0,     // detect from header name and value
  kBase64Der = 1,       // Azure X-ARR-ClientCert, HAProxy, Cloudflare, F5
  kPemBody = 2,         // PEM body without BEGIN/END markers
  kPem = 3,             // one or more full PEM blocks
  kUrlEncodedPem = 4,   // nginx $ssl_client_escaped_cert, AWS ALB, Envoy peer certificate
  kXfcc = 5,            // X-Forwarded-Client-Cert
  kRfc9440 = 6,         // Client-Cert / Client-Cert-Chain
  kNginxTabbedPem = 7,  // nginx $ssl_client_cert
  kTraefik = 8,         // X-Forwarded-Tls-Client-Cert
};

// "BASE64_DER", "PEM_BODY", ... (the proto enum names); "UNSPECIFIED" for kUnspecified.
absl::string_view FormatName(Format format);

// Inverse of FormatName, case-insensitive; nullopt for an unknown name.
std::optional<Format> ParseFormatName(absl::string_view name);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_HEADER_FORMAT_H_
