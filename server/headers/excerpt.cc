#include "server/headers/excerpt.h"

#include <string>

#include "absl/strings/string_view.h"

namespace certguard::headers {

std::string Excerpt(absl::string_view input) {
  constexpr char kHex[] = "0123456789abcdef";
  const absl::string_view shown = input.substr(0, kMaxExcerptBytes);
  std::string out;
  out.reserve(shown.size() * 4 + 5);
  out.push_back('"');
  for (char ch : shown) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      out.push_back(ch);
    } else {
      out.append("\\x");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  out.push_back('"');
  if (input.size() > shown.size()) out.append("...");
  return out;
}

}  // namespace certguard::headers
