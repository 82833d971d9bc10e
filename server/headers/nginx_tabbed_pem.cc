#include "server/headers/nginx_tabbed_pem.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/http_text.h"
#include "server/headers/pem_blocks.h"

namespace certguard::headers {

absl::Status DecodeNginxTabbedPem(absl::string_view value, CertCollector* out) {
  value = TrimLineWhitespace(value);
  if (value.empty()) return MalformedError("empty nginx PEM");
  std::string pem;
  pem.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const char ch = value[i];
    if (ch == '\r') {
      if (i + 1 >= value.size() || value[i + 1] != '\n') {
        return MalformedError(absl::StrCat("CR without LF at offset ", i));
      }
      continue;  // the LF that follows is handled next
    }
    pem.push_back(ch);
    if (ch == '\n') {
      // Trimming guarantees a byte after every LF.
      if (value[i + 1] != '\t') {
        return MalformedError(absl::StrCat("line break without a TAB at offset ", i));
      }
      ++i;
    }
  }
  return DecodePemBlocks(pem, out);
}

}  // namespace certguard::headers
