#include "server/headers/traefik.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/http_text.h"
#include "server/headers/percent.h"

namespace certguard::headers {

absl::Status DecodeTraefik(absl::string_view value, CertCollector* out) {
  value = TrimOws(value);
  if (value.empty()) return MalformedError("empty Traefik certificate list");
  std::string unescaped;
  if (value.find('%') != absl::string_view::npos) {
    absl::StatusOr<std::string> decoded = PercentDecode(value);
    if (!decoded.ok()) return MalformedError(decoded.status().message());
    unescaped = *std::move(decoded);
    value = unescaped;
  }
  size_t member = 0;
  while (true) {
    ++member;
    const size_t comma = value.find(',');
    const absl::string_view item = TrimOws(value.substr(0, comma));
    if (item.empty()) {
      return MalformedError(absl::StrCat("empty certificate ", member, " in Traefik list"));
    }
    absl::Status status = out->AddBase64(item, Base64Options{});
    if (!status.ok()) return status;
    if (comma == absl::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return absl::OkStatus();
}

}  // namespace certguard::headers
