// Strict decoder for standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /, '=' padding).
#ifndef CERTGUARD_SERVER_HEADERS_BASE64_H_
#define CERTGUARD_SERVER_HEADERS_BASE64_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

struct Base64Options {
  // Ignore SP, HTAB, CR and LF anywhere (PEM bodies); otherwise any whitespace is an error.
  bool allow_whitespace = false;
  // Demand '=' padding to a multiple of four characters. RFC 8941 byte sequences may omit it.
  bool require_padding = true;
  // Accept non-zero unused bits in the last character (RFC 8941 says parsers should).
  bool allow_nonzero_pad_bits = false;
  // Stop with ResourceExhausted as soon as the output would grow past this many bytes.
  size_t max_decoded_bytes = std::numeric_limits<size_t>::max();
};

// Decodes `in`. Fails with InvalidArgument on a byte outside the alphabet (URL-safe '-' and '_'
// included), '=' anywhere but at the end, data after padding, a final group of one character,
// missing padding (when required) or non-zero pad bits (unless allowed); with ResourceExhausted
// when the output would exceed max_decoded_bytes. Messages give offsets, never input bytes.
// Empty input decodes to an empty string. The first offending byte, in input order, decides the
// error. Linear, a table look-up per byte; allocates the output once.
absl::StatusOr<std::string> Base64Decode(absl::string_view in, const Base64Options& options = {});

namespace base64_internal {

// kSextetOf[byte] is the 6-bit value of a standard-alphabet byte, kNotSextet for any other.
inline constexpr uint8_t kNotSextet = 0xff;

constexpr std::array<uint8_t, 256> MakeSextetTable() {
  std::array<uint8_t, 256> table{};
  for (uint8_t& entry : table) entry = kNotSextet;
  constexpr absl::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}

inline constexpr std::array<uint8_t, 256> kSextetOf = MakeSextetTable();

}  // namespace base64_internal

// True when `ch` is in the standard base64 alphabet (not counting '=').
constexpr bool IsBase64Char(char ch) {
  return base64_internal::kSextetOf[static_cast<unsigned char>(ch)] != base64_internal::kNotSextet;
}

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_BASE64_H_
