#include "server/headers/der_check.h"

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

absl::Status CheckDerSequence(absl::string_view der) {
  if (der.size() < 2) return absl::InvalidArgumentError("not a DER certificate: too short");
  const auto byte = [&der](size_t i) { return static_cast<uint8_t>(der[i]); };
  if (byte(0) != 0x30) {
    return absl::InvalidArgumentError("not a DER certificate: does not start with a SEQUENCE");
  }
  size_t header = 2;
  uint64_t length = byte(1);
  if (length & 0x80) {
    const size_t count = length & 0x7f;
    if (count == 0) {
      return absl::InvalidArgumentError("not a DER certificate: indefinite length");
    }
    if (count > 4) return absl::InvalidArgumentError("not a DER certificate: length too long");
    if (der.size() < 2 + count) {
      return absl::InvalidArgumentError("not a DER certificate: truncated length");
    }
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | byte(2 + i);
    // DER: the shortest form, so no leading zero byte and no long form below 128.
    if (byte(2) == 0 || length < 0x80) {
      return absl::InvalidArgumentError("not a DER certificate: non-minimal length");
    }
    header += count;
  }
  if (length != der.size() - header) {
    return absl::InvalidArgumentError("not a DER certificate: SEQUENCE length does not cover the data exactly");
  }
  return absl::OkStatus();
}

}  // namespace certguard::headers
