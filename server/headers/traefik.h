// TRAEFIK: X-Forwarded-Tls-Client-Cert from Traefik's passtlsclientcert middleware.
#ifndef CERTGUARD_SERVER_HEADERS_TRAEFIK_H_
#define CERTGUARD_SERVER_HEADERS_TRAEFIK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Decodes a comma-separated list of standard padded base64 DER certificates, leaf first
// (Traefik v2+). Older versions URL-escaped the whole value (url.QueryEscape): when `value`
// contains a '%' it is percent-decoded first ('+' stays '+'). SP/HTAB around commas are
// ignored; an empty member, whitespace inside a member or any base64 error is kMalformed.
absl::Status DecodeTraefik(absl::string_view value, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_TRAEFIK_H_
