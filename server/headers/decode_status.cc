#include "server/headers/decode_status.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {
namespace {

constexpr absl::string_view kPayloadUrl = "type.certguard.dev/certguard.headers.DecodeError";

absl::StatusCode CanonicalCode(DecodeError error) {
  switch (error) {
    case DecodeError::kHeaderTooLarge:
    case DecodeError::kTooManyCertificates:
    case DecodeError::kCertificateTooLarge:
      return absl::StatusCode::kResourceExhausted;
    case DecodeError::kFormatNotAllowed:
    case DecodeError::kHeaderNotAllowed:
      return absl::StatusCode::kPermissionDenied;
    case DecodeError::kNone:
    case DecodeError::kMalformed:
    case DecodeError::kHashMismatch:
      break;
  }
  return absl::StatusCode::kInvalidArgument;
}

bool IsKnown(int value) {
  return value > static_cast<int>(DecodeError::kNone) && value <= static_cast<int>(DecodeError::kHashMismatch);
}

}  // namespace

absl::Status DecodeFailure(DecodeError error, absl::string_view message) {
  if (error == DecodeError::kNone) error = DecodeError::kMalformed;
  absl::Status status(CanonicalCode(error), message);
  status.SetPayload(kPayloadUrl, absl::Cord(absl::StrCat(static_cast<int>(error))));
  return status;
}

absl::Status MalformedError(absl::string_view message) { return DecodeFailure(DecodeError::kMalformed, message); }

DecodeError DecodeErrorOf(const absl::Status& status) {
  if (status.ok()) return DecodeError::kNone;
  const auto payload = status.GetPayload(kPayloadUrl);  // absl::optional<absl::Cord>
  int value = 0;
  if (payload.has_value() && absl::SimpleAtoi(std::string(*payload), &value) && IsKnown(value)) {
    return static_cast<DecodeError>(value);
  }
  return DecodeError::kMalformed;
}

}  // namespace certguard::headers
