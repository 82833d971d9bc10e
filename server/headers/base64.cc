#include "server/headers/base64.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

using base64_internal::kNotSextet;
using base64_internal::kSextetOf;

// kQuadBits[k][byte]: the sextet of `byte` shifted to its place as character k of a group of
// four (bits 23..0 of the group's 24), or kNotQuad (above bit 23) for a byte outside the
// alphabet. OR-ing the four entries of a group yields its 24 bits, or a value above kQuadMask
// when any of the four bytes needs the careful path.
constexpr uint32_t kNotQuad = 0xff000000u;
constexpr uint32_t kQuadMask = 0x00ffffffu;

constexpr std::array<std::array<uint32_t, 256>, 4> MakeQuadTables() {
  std::array<std::array<uint32_t, 256>, 4> tables{};
  for (size_t k = 0; k < 4; ++k) {
    for (size_t byte = 0; byte < 256; ++byte) {
      const uint8_t sextet = kSextetOf[byte];
      tables[k][byte] = sextet == kNotSextet ? kNotQuad : static_cast<uint32_t>(sextet) << (6 * (3 - k));
    }
  }
  return tables;
}

constexpr std::array<std::array<uint32_t, 256>, 4> kQuadBits = MakeQuadTables();

// Decodes up to `quads` groups of four alphabet characters from `src` into `dst`, three bytes
// per group; returns how many groups it decoded, stopping before the first group holding any
// other byte. `dst` has room for 3 * quads bytes.
size_t DecodeQuads(const unsigned char* src, size_t quads, char* dst) {
  size_t done = 0;
  for (; done < quads; ++done, src += 4, dst += 3) {
    const uint32_t bits = kQuadBits[0][src[0]] | kQuadBits[1][src[1]] | kQuadBits[2][src[2]] | kQuadBits[3][src[3]];
    if (bits > kQuadMask) break;
    dst[0] = static_cast<char>(bits >> 16);
    dst[1] = static_cast<char>(bits >> 8);
    dst[2] = static_cast<char>(bits);
  }
  return done;
}

absl::Status TooLong(size_t limit) {
  return absl::ResourceExhaustedError(absl::StrCat("base64 data decodes to more than ", limit, " bytes"));
}

}  // namespace

// Whole groups of four alphabet characters take the table path (one look-up per character,
// three bytes written at once) while their output fits; everything else (whitespace, '=',
// invalid bytes, the limit, the tail) goes through the per-character state machine, which
// decides every error exactly as a byte-by-byte scan would.
absl::StatusOr<std::string> Base64Decode(absl::string_view in, const Base64Options& options) {
  const size_t limit = options.max_decoded_bytes;
  const size_t n = in.size();
  // Sized once: at most 3 bytes per 4 characters (1 or 2 for a final 2 or 3) are ever written,
  // and never more than `limit`. Shrunk to what was written at the end.
  std::string out(std::min(n / 4 * 3 + n % 4 * 3 / 4, limit), '\0');
  char* const dst = out.data();
  const auto* const src = reinterpret_cast<const unsigned char*>(in.data());
  size_t written = 0;  // bytes in `out`; never above limit
  uint32_t group = 0;  // sextets of the current group, most significant first
  int in_group = 0;    // data characters in the current group (0..3 between groups)
  int padding = 0;     // '=' characters seen

  size_t i = 0;
  while (i < n) {
    if (in_group == 0 && padding == 0) {
      const size_t quads = DecodeQuads(src + i, std::min((n - i) / 4, (limit - written) / 3), dst + written);
      i += 4 * quads;
      written += 3 * quads;
      if (i == n) break;
    }

    const char ch = in[i];
    const uint8_t sextet = kSextetOf[src[i]];
    if (sextet == kNotSextet) {
      if (IsLineWhitespace(ch)) {
        if (!options.allow_whitespace) {
          return absl::InvalidArgumentError(absl::StrCat("whitespace in base64 at offset ", i));
        }
        ++i;
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
        ++i;
        continue;
      }
    }
    if (padding > 0) {
      return absl::InvalidArgumentError(absl::StrCat("base64 data after padding at offset ", i));
    }
    if (sextet == kNotSextet) {
      return absl::InvalidArgumentError(absl::StrCat("invalid base64 character at offset ", i));
    }
    group = (group << 6) | sextet;
    if (++in_group == 4) {
      if (limit - written < 3) return TooLong(limit);
      dst[written] = static_cast<char>(group >> 16);
      dst[written + 1] = static_cast<char>(group >> 8);
      dst[written + 2] = static_cast<char>(group);
      written += 3;
      group = 0;
      in_group = 0;
    }
    ++i;
  }

  if (padding > 0 && in_group + padding != 4) {
    return absl::InvalidArgumentError("incomplete base64 padding");
  }
  if (in_group == 1) return absl::InvalidArgumentError("truncated base64 data");
  if (in_group > 1) {
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
    const size_t bytes = in_group == 2 ? 1 : 2;
    if (limit - written < bytes) return TooLong(limit);
    if (bytes == 2) dst[written++] = static_cast<char>(group >> 8);
    dst[written++] = static_cast<char>(group);
  }
  out.resize(written);
  return out;
}

}  // namespace certguard::headers
