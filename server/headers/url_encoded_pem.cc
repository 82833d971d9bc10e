#include "server/headers/url_encoded_pem.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/http_text.h"
#include "server/headers/pem_blocks.h"
#include "server/headers/percent.h"

namespace certguard::headers {

absl::Status DecodeUrlEncodedPem(absl::string_view value, CertCollector* out) {
  value = TrimOws(value);
  if (value.empty()) return MalformedError("empty URL-encoded PEM");
  absl::StatusOr<std::string> pem = PercentDecode(value);
  if (!pem.ok()) return MalformedError(pem.status().message());
  return DecodePemBlocks(*pem, out);
}

}  // namespace certguard::headers
