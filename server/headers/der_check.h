// A cheap shape check that decoded bytes could be a certificate; full X.509 parsing is x509/'s.
#ifndef CERTGUARD_SERVER_HEADERS_DER_CHECK_H_
#define CERTGUARD_SERVER_HEADERS_DER_CHECK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

// OK when `der` is exactly one DER SEQUENCE: tag 0x30, a definite length in minimal form (long
// form of at most four length bytes) and contents that end exactly at the last byte. Otherwise
// InvalidArgument. Reads only the first six bytes; does not look inside the SEQUENCE.
absl::Status CheckDerSequence(absl::string_view der);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_DER_CHECK_H_
