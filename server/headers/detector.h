// Picks the forwarding format of a header from its name and value.
//
// Detection order (the first rule that matches wins):
//
//  By header name, case-insensitively, where the name fixes the format:
//   1. x-forwarded-client-cert                          -> XFCC
//   2. client-cert, client-cert-chain                   -> RFC9440
//   3. x-forwarded-tls-client-cert                      -> TRAEFIK
//   4. x-amzn-mtls-clientcert, x-amzn-mtls-clientcert-* -> URL_ENCODED_PEM
//   5. cf-client-cert-der-base64                        -> BASE64_DER
//  Any other name (x-arr-clientcert, ssl-client-cert, an empty name, ...), by the value with
//  leading/trailing SP/HTAB/CR/LF removed:
//   6. starts with "-----BEGIN" and contains an escaped LF or CR ("%0A", "%0D"), or starts with
//      "-----BEGIN%20"                                  -> URL_ENCODED_PEM (nginx, ALB)
//   7. starts with "-----BEGIN" and contains LF + TAB    -> NGINX_TABBED_PEM
//   8. starts with "-----BEGIN"                          -> PEM
//   9. starts with "%2D%2D%2D%2D%2DBEGIN" (any hex case) -> URL_ENCODED_PEM (fully escaped)
//  10. starts with ':'                                   -> RFC9440 (an sf-binary item)
//  11. starts with an XFCC key (By, Hash, Cert, Chain, Subject, URI, DNS; any case) and '='
//                                                        -> XFCC
//  12. only base64 characters and '='                    -> BASE64_DER (Azure X-ARR-ClientCert)
//  13. only base64 characters, '=' and SP/HTAB/CR/LF     -> PEM_BODY (line-broken body)
//  14. only base64 characters, '=', ',', SP/HTAB and %XX escapes, with a ',' or an escaped
//      '+', '/', '=' or ','                              -> TRAEFIK
//  15. otherwise                                         -> UNSPECIFIED (not recognized)
//
// Rules 12 and 13 produce the same DER either way; the format only names what was seen.
// Detection only classifies: the decoder of the chosen format still validates everything.
#ifndef CERTGUARD_SERVER_HEADERS_DETECTOR_H_
#define CERTGUARD_SERVER_HEADERS_DETECTOR_H_

#include "absl/strings/string_view.h"
#include "server/headers/header_format.h"

namespace certguard::headers {

// The format of a header named `header_name` (may be empty) with `value`, per the rules above.
// Linear in the value's size; never fails.
Format DetectFormat(absl::string_view header_name, absl::string_view value);

// True for headers that carry chain certificates only and must be combined with a leaf header
// (RFC 9440 Client-Cert-Chain).
bool IsChainOnlyHeader(absl::string_view header_name);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_DETECTOR_H_
