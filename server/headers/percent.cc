#include "server/headers/percent.h"

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {
namespace {

int HexValue(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const auto byte = static_cast<unsigned char>(in[i]);
    if (byte < 0x21 || byte > 0x7e) {
      return absl::InvalidArgumentError(
          absl::StrCat("raw byte 0x", absl::Hex(byte, absl::kZeroPad2), " in URL-encoded value at offset ", i));
    }
    if (byte != '%') {
      out.push_back(static_cast<char>(byte));
      continue;
    }
    const int high = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
    const int low = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid percent escape at offset ", i));
    }
    out.push_back(static_cast<char>((high << 4) | low));
    i += 2;
  }
  return out;
}

bool ContainsPercentEscapeOf(absl::string_view in, absl::string_view bytes) {
  for (size_t i = 0; i + 2 < in.size(); ++i) {
    if (in[i] != '%') continue;
    const int high = HexValue(in[i + 1]);
    const int low = HexValue(in[i + 2]);
    if (high < 0 || low < 0) continue;
    const char decoded = static_cast<char>((high << 4) | low);
    if (bytes.find(decoded) != absl::string_view::npos) return true;
  }
  return false;
}

}  // namespace certguard::headers
