#include "server/headers/pem_body.h"

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/http_text.h"

namespace certguard::headers {

absl::Status DecodePemBody(absl::string_view value, CertCollector* out) {
  value = TrimLineWhitespace(value);
  if (value.empty()) return MalformedError("empty PEM body");
  if (value.find('-') != absl::string_view::npos) {
    return MalformedError("PEM body contains '-' (PEM markers belong to format PEM)");
  }
  Base64Options options;
  options.allow_whitespace = true;
  return out->AddBase64(value, options);
}

}  // namespace certguard::headers
