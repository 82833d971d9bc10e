#include "server/headers/pem_blocks.h"

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/pem.h"

namespace certguard::headers {

absl::Status DecodePemBlocks(absl::string_view text, CertCollector* out) {
  Base64Options options;
  options.allow_whitespace = true;
  absl::Status status =
      ForEachPemCertificate(text, [&](absl::string_view body) { return out->AddBase64(body, options); });
  // Errors from the PEM scanner carry no DecodeError and become kMalformed; errors from
  // AddBase64 keep theirs.
  if (!status.ok() && DecodeErrorOf(status) == DecodeError::kMalformed) {
    return MalformedError(status.message());
  }
  return status;
}

}  // namespace certguard::headers
