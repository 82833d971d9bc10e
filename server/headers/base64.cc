#include "server/headers/base64.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

// The 6-bit value of a base64 character, or -1.
int SextetOf(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+') return 62;
  if (ch == '/') return 63;
  return -1;
}

}  // namespace

bool IsBase64Char(char ch) { return SextetOf(ch) >= 0; }

absl::StatusOr<std::string> Base64Decode(std::string_view in, const Base64Options& options) {
  std::string out;
  out.reserve(std::min(in.size() / 4 * 3 + 3, options.max_decoded_bytes));
  uint32_t group = 0;  // sextets of the current group, most significant first
  int in_group = 0;    // data characters in the current group (0..3 between groups)
  int padding = 0;     // '=' characters seen

  auto emit = [&](uint8_t byte) -> absl::Status {
    if (out.size() >= options.max_decoded_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("base64 data decodes to more than ", options.max_decoded_bytes, " bytes"));
    }
    out.push_back(static_cast<char>(byte));
    return absl::OkStatus();
  };

  for (size_t i = 0; i < in.size(); ++i) {
    const char ch = in[i];
    if (IsLineWhitespace(ch)) {
      if (!options.allow_whitespace) {
        return absl::InvalidArgumentError(absl::StrCat("whitespace in base64 at offset ", i));
      }
      continue;
    }
    if (ch == '=') {
      if (padding == 0 && in_group < 2) {
        return absl::InvalidArgumentError(absl::StrCat("misplaced base64 padding at offset ", i));
      }
      if (in_group + padding + 1 > 4) {
        return absl::InvalidArgumentError(absl::StrCat("too much base64 padding at offset ", i));
      }
      ++padding;
      continue;
    }
    if (padding > 0) {
      return absl::InvalidArgumentError(absl::StrCat("base64 data after padding at offset ", i));
    }
    const int sextet = SextetOf(ch);
    if (sextet < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid base64 character at offset ", i));
    }
    group = (group << 6) | static_cast<uint32_t>(sextet);
    if (++in_group == 4) {
      for (int shift : {16, 8, 0}) {
        absl::Status status = emit(static_cast<uint8_t>(group >> shift));
        if (!status.ok()) return status;
      }
      group = 0;
      in_group = 0;
    }
  }

  if (padding > 0 && in_group + padding != 4) {
    return absl::InvalidArgumentError("incomplete base64 padding");
  }
  if (in_group == 0) return out;
  if (in_group == 1) return absl::InvalidArgumentError("truncated base64 data");
  if (padding == 0 && options.require_padding) {
    return absl::InvalidArgumentError("missing base64 padding");
  }
  // 2 characters carry 1 byte + 4 unused bits; 3 characters carry 2 bytes + 2 unused bits.
  const int unused_bits = in_group == 2 ? 4 : 2;
  const uint32_t unused = group & ((1u << unused_bits) - 1);
  if (unused != 0 && !options.allow_nonzero_pad_bits) {
    return absl::InvalidArgumentError("non-zero base64 pad bits");
  }
  group >>= unused_bits;
  if (in_group == 2) {
    absl::Status status = emit(static_cast<uint8_t>(group));
    if (!status.ok()) return status;
  } else {
    for (int shift : {8, 0}) {
      absl::Status status = emit(static_cast<uint8_t>(group >> shift));
      if (!status.ok()) return status;
    }
  }
  return out;
}

}  // namespace certguard::headers
