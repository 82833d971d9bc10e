#include "server/headers/detector.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/format_catalogue.h"
#include "server/headers/header_format.h"
#include "server/headers/http_text.h"
#include "server/headers/percent.h"

namespace certguard::headers {
namespace {

constexpr absl::string_view kPemBeginPrefix = "-----BEGIN";
constexpr absl::string_view kEscapedPemBeginPrefix = "%2D%2D%2D%2D%2DBEGIN";
constexpr absl::string_view kUrlEncodedPemBegin = "-----BEGIN%20";

constexpr std::array<absl::string_view, 7> kXfccKeys = {"by", "hash", "cert", "chain", "subject", "uri", "dns"};

std::optional<Format> FormatFromName(absl::string_view name) {
  for (const KnownHeader& known : KnownHeaders()) {
    if ((known.role == HeaderRole::kFixesFormat || known.role == HeaderRole::kChainOnly)
            ? absl::EqualsIgnoreCase(name, known.name)
            : known.role == HeaderRole::kFixesFormatByPrefix && absl::StartsWithIgnoreCase(name, known.name)) {
      return known.format;
    }
  }
  return std::nullopt;
}

constexpr size_t LongestXfccKey() {
  size_t longest = 0;
  for (absl::string_view key : kXfccKeys) longest = std::max(longest, key.size());
  return longest;
}

bool StartsWithXfccKey(absl::string_view value) {
  // The key is everything before the first '='; a known key is at most LongestXfccKey() bytes,
  // so a '=' further in (a base64 value's padding) cannot end one.
  const size_t equals = value.substr(0, LongestXfccKey() + 1).find('=');
  if (equals == absl::string_view::npos) return false;
  const absl::string_view key = value.substr(0, equals);
  for (absl::string_view known : kXfccKeys) {
    if (absl::EqualsIgnoreCase(key, known)) return true;
  }
  return false;
}

// Which kinds of bytes a value holds, for rules 12-14: bits of kClassBits. Base64 characters
// and '=' have none.
enum : uint8_t {
  kOther = 1 << 0,
  kWhitespace = 1 << 1,
  kLineBreak = 1 << 2,
  kComma = 1 << 3,
  kPercent = 1 << 4,
};

constexpr std::array<uint8_t, 256> MakeClassTable() {
  std::array<uint8_t, 256> table{};
  for (size_t byte = 0; byte < 256; ++byte) {
    const char ch = static_cast<char>(byte);
    if (IsBase64Char(ch) || ch == '=') {
      table[byte] = 0;
    } else if (IsLineWhitespace(ch)) {
      table[byte] = ch == '\r' || ch == '\n' ? kWhitespace | kLineBreak : kWhitespace;
    } else if (ch == ',') {
      table[byte] = kComma;
    } else if (ch == '%') {
      table[byte] = kPercent;
    } else {
      table[byte] = kOther;
    }
  }
  return table;
}

constexpr std::array<uint8_t, 256> kClassBits = MakeClassTable();

// The kClassBits of every byte of `value`, OR-ed. One table look-up per byte, eight bytes a
// round into four independent accumulators (one serial OR chain would cost a cycle per byte);
// stops after the first round holding a kOther byte: rules 12-14 cannot match after one.
uint8_t ClassesOf(absl::string_view value) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
  const size_t size = value.size();
  uint8_t seen[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    for (size_t k = 0; k < 4; ++k) {
      seen[k] |= kClassBits[bytes[i + k]] | kClassBits[bytes[i + 4 + k]];
    }
    if ((seen[0] | seen[1] | seen[2] | seen[3]) & kOther) break;
  }
  uint8_t all = seen[0] | seen[1] | seen[2] | seen[3];
  if (all & kOther) return all;
  for (; i < size; ++i) all |= kClassBits[bytes[i]];
  return all;
}

Format FormatFromValue(absl::string_view value) {
  if (absl::StartsWith(value, kPemBeginPrefix)) {
    if (ContainsPercentEscapeOf(value, "\r\n") || absl::StartsWith(value, kUrlEncodedPemBegin)) {
      return Format::kUrlEncodedPem;
    }
    if (value.find("\n\t") != absl::string_view::npos) return Format::kNginxTabbedPem;
    return Format::kPem;
  }
  if (absl::StartsWithIgnoreCase(value, kEscapedPemBeginPrefix)) return Format::kUrlEncodedPem;
  if (absl::StartsWith(value, ":")) return Format::kRfc9440;
  if (StartsWithXfccKey(value)) return Format::kXfcc;

  const uint8_t seen = ClassesOf(value);
  if (seen & kOther) return Format::kUnspecified;
  if (!(seen & (kComma | kPercent))) {
    return (seen & kWhitespace) ? Format::kPemBody : Format::kBase64Der;
  }
  if (!(seen & kLineBreak) && ((seen & kComma) || ContainsPercentEscapeOf(value, "+/=,"))) {
    return Format::kTraefik;
  }
  return Format::kUnspecified;
}

}  // namespace

Format DetectFormat(absl::string_view header_name, absl::string_view value) {
  if (std::optional<Format> by_name = FormatFromName(header_name)) return *by_name;
  value = TrimLineWhitespace(value);
  if (value.empty()) return Format::kUnspecified;
  return FormatFromValue(value);
}

bool IsChainOnlyHeader(absl::string_view header_name) {
  for (const KnownHeader& known : KnownHeaders()) {
    if (known.role == HeaderRole::kChainOnly && absl::EqualsIgnoreCase(header_name, known.name)) return true;
  }
  return false;
}

}  // namespace certguard::headers
