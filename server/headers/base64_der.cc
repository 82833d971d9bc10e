#include "server/headers/base64_der.h"

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/http_text.h"

namespace certguard::headers {

absl::Status DecodeBase64Der(absl::string_view value, CertCollector* out) {
  value = TrimOws(value);
  if (value.empty()) return MalformedError("empty base64 certificate");
  return out->AddBase64(value, Base64Options{});
}

}  // namespace certguard::headers
