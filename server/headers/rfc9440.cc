#include "server/headers/rfc9440.h"

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/structured_field.h"

namespace certguard::headers {
namespace {

// RFC 8941 section 4.2.7: parsers should not fail on missing padding or non-zero pad bits.
Base64Options SfBinaryOptions() {
  Base64Options options;
  options.require_padding = false;
  options.allow_nonzero_pad_bits = true;
  return options;
}

// Syntax errors from the structured-field parser carry no DecodeError: make them kMalformed.
absl::Status Tag(absl::Status status) {
  if (!status.ok() && DecodeErrorOf(status) == DecodeError::kMalformed) {
    return MalformedError(status.message());
  }
  return status;
}

}  // namespace

absl::Status DecodeClientCert(absl::string_view value, CertCollector* out) {
  return Tag(
      ParseSfBinaryItem(value, [out](absl::string_view base64) { return out->AddBase64(base64, SfBinaryOptions()); }));
}

absl::Status DecodeClientCertChain(absl::string_view value, CertCollector* out) {
  return Tag(
      ParseSfBinaryList(value, [out](absl::string_view base64) { return out->AddBase64(base64, SfBinaryOptions()); }));
}

}  // namespace certguard::headers
