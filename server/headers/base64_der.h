// BASE64_DER: Azure X-ARR-ClientCert, HAProxy, F5, Cloudflare Cf-Client-Cert-Der-Base64.
#ifndef CERTGUARD_SERVER_HEADERS_BASE64_DER_H_
#define CERTGUARD_SERVER_HEADERS_BASE64_DER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Decodes one certificate given as standard, padded base64 of its DER on a single line and
// appends it to `out`. Leading/trailing SP/HTAB are ignored; whitespace inside, URL-safe
// characters, missing padding and trailing junk are kMalformed.
absl::Status DecodeBase64Der(absl::string_view value, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_BASE64_DER_H_
