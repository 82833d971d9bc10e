// PEM_BODY: the base64 body of one PEM certificate without its BEGIN/END lines, as the seed
// Node/Python samples receive it (they add the markers themselves).
#ifndef CERTGUARD_SERVER_HEADERS_PEM_BODY_H_
#define CERTGUARD_SERVER_HEADERS_PEM_BODY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Decodes one certificate from padded standard base64 in which SP/HTAB/CR/LF may appear
// anywhere (line breaks, or line breaks a proxy turned into spaces) and appends it to `out`.
// PEM markers, any other byte and an empty body are kMalformed.
absl::Status DecodePemBody(absl::string_view value, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_PEM_BODY_H_
