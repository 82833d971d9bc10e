// Percent-decoding (RFC 3986 section 2.1) for URL-encoded PEM values.
#ifndef CERTGUARD_SERVER_HEADERS_PERCENT_H_
#define CERTGUARD_SERVER_HEADERS_PERCENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

// Replaces every %XX (either hex case) with its byte. This is not form decoding: '+' stays a
// literal '+' (AWS ALB leaves '+', '=' and '/' unescaped). Fails with InvalidArgument on a '%'
// not followed by two hex digits and on any raw byte outside visible ASCII (0x21-0x7E): a
// URL-encoded value never holds raw spaces, controls, NULs or non-ASCII bytes. Escaped bytes may
// decode to anything; the caller validates the result.
absl::StatusOr<std::string> PercentDecode(absl::string_view in);

// True when `in` contains a %XX escape of one of `bytes`, in either hex case.
bool ContainsPercentEscapeOf(absl::string_view in, absl::string_view bytes);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_PERCENT_H_
