// NGINX_TABBED_PEM: nginx's deprecated $ssl_client_cert, a PEM text in which every line after
// the first starts with a TAB (an HTTP/1 obs-fold), and whose final line break is dropped.
#ifndef CERTGUARD_SERVER_HEADERS_NGINX_TABBED_PEM_H_
#define CERTGUARD_SERVER_HEADERS_NGINX_TABBED_PEM_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Checks that every LF (optionally preceded by CR) inside `value` is followed by a TAB, removes
// those TABs and decodes the PEM blocks. A value with no line breaks at all (an HTTP/1 hop
// unfolded the obs-folds into spaces) is decoded as PEM directly. A line break without its TAB
// or a CR not followed by LF is kMalformed.
absl::Status DecodeNginxTabbedPem(absl::string_view value, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_NGINX_TABBED_PEM_H_
