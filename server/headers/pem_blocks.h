// PEM: one or more complete PEM CERTIFICATE blocks (leaf first). Also the last step of the
// URL-encoded, nginx-tabbed and XFCC formats.
#ifndef CERTGUARD_SERVER_HEADERS_PEM_BLOCKS_H_
#define CERTGUARD_SERVER_HEADERS_PEM_BLOCKS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"

namespace certguard::headers {

// Decodes every CERTIFICATE block of `text` in order (grammar: ForEachPemCertificate) and
// appends each to `out`; stops as soon as `out` is full (kTooManyCertificates). Bodies may
// contain SP/HTAB/CR/LF. Any structural or base64 error is kMalformed.
absl::Status DecodePemBlocks(absl::string_view text, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_PEM_BLOCKS_H_
