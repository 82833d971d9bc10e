// Splits PEM text (RFC 7468) into its CERTIFICATE blocks.
#ifndef CERTGUARD_SERVER_HEADERS_PEM_H_
#define CERTGUARD_SERVER_HEADERS_PEM_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

inline constexpr absl::string_view kPemBegin = "-----BEGIN ";
inline constexpr absl::string_view kPemBeginCertificate = "-----BEGIN CERTIFICATE-----";
inline constexpr absl::string_view kPemEndCertificate = "-----END CERTIFICATE-----";

// Calls `visit` with the body of every CERTIFICATE block of `text`, in order, and stops at the
// first non-OK status `visit` returns (which is then returned unchanged). A body is the text
// between the BEGIN and END lines: base64 that may contain SP/HTAB/CR/LF; `visit` decodes it.
//
// Accepted text: blocks separated, preceded and followed only by SP/HTAB/CR/LF (an END line may
// be followed directly by the next BEGIN line). Everything else is InvalidArgument, checked
// while scanning, so blocks before an error have already been visited:
//   - no block at all;
//   - any other byte before, between or after blocks ("trailing garbage"; RFC 7468's
//     explanatory text is not accepted in a header);
//   - a block of another type (PRIVATE KEY, X509 CERTIFICATE, TRUSTED CERTIFICATE, ...);
//   - a block cut short: BEGIN with no END, or a BEGIN where its END should be.
absl::Status ForEachPemCertificate(absl::string_view text,
                                   absl::FunctionRef<absl::Status(absl::string_view body)> visit);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_PEM_H_
