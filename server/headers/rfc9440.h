// RFC9440: Client-Cert and Client-Cert-Chain (Cloudflare, GCP, Keycloak, ...).
#ifndef CERTGUARD_SERVER_HEADERS_RFC9440_H_
#define CERTGUARD_SERVER_HEADERS_RFC9440_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Client-Cert: one RFC 8941 Byte Sequence item (`:base64-DER:`, parameters ignored) holding the
// leaf; appended to `out`. Per RFC 8941, missing '=' padding and non-zero pad bits are accepted.
// Any other structured-field syntax is kMalformed.
absl::Status DecodeClientCert(absl::string_view value, CertCollector* out);

// Client-Cert-Chain: an RFC 8941 List of Byte Sequence items (the chain without the leaf),
// appended to `out` in order; stops as soon as `out` is full. An empty value adds nothing.
absl::Status DecodeClientCertChain(absl::string_view value, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_RFC9440_H_
