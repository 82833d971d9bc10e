// URL_ENCODED_PEM: nginx $ssl_client_escaped_cert, AWS ALB X-Amzn-Mtls-Clientcert(-Leaf),
// Envoy's URL-encoded peer certificate.
#ifndef CERTGUARD_SERVER_HEADERS_URL_ENCODED_PEM_H_
#define CERTGUARD_SERVER_HEADERS_URL_ENCODED_PEM_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Percent-decodes `value` ('+' stays '+': ALB does not escape '+', '=' or '/') and decodes
// every PEM block of the result in order (ALB passthrough: the whole chain, leaf first).
// Malformed escapes, raw bytes outside visible ASCII and PEM errors are kMalformed.
absl::Status DecodeUrlEncodedPem(absl::string_view value, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_URL_ENCODED_PEM_H_
