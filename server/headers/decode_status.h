// Carries a DecodeError inside an absl::Status, so the format decoders can return ordinary
// statuses and DecodeHeaders can still report the exact DecodeError.
#ifndef CERTGUARD_SERVER_HEADERS_DECODE_STATUS_H_
#define CERTGUARD_SERVER_HEADERS_DECODE_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/decoder.h"

namespace certguard::headers {

// A non-OK status tagged with `error` (which must not be kNone). `message` must already be safe
// to show: bounded and free of raw input (see Excerpt()).
absl::Status DecodeFailure(DecodeError error, absl::string_view message);

// Shorthand for DecodeFailure(DecodeError::kMalformed, message).
absl::Status MalformedError(absl::string_view message);

// The DecodeError carried by `status`: kNone for OK, the tag set by DecodeFailure, and
// kMalformed for any other non-OK status (e.g. one from a codec).
DecodeError DecodeErrorOf(const absl::Status& status);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_DECODE_STATUS_H_
