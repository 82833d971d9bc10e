// libFuzzer target for DecodeHeaders with format detection and several headers (fuzz/README.md).
//
// Input: one flags byte, then name/value pairs separated by 0xff bytes. Aborts when a result
// breaks the DecodeHeaders contract, so crashes, sanitizer reports and contract violations all
// surface as fuzzer findings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/headers/decoder.h"
#include "server/headers/der_check.h"
#include "server/headers/header_format.h"

namespace {

using ::certguard::headers::CheckDerSequence;
using ::certguard::headers::DecodeError;
using ::certguard::headers::DecodeHeaders;
using ::certguard::headers::DecodeOptions;
using ::certguard::headers::DecodeResult;
using ::certguard::headers::Format;
using ::certguard::headers::HeaderInput;
using ::certguard::headers::XfccElement;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  absl::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  std::vector<absl::string_view> parts;
  while (true) {
    const size_t cut = rest.find('\xff');
    parts.push_back(rest.substr(0, cut));
    if (cut == absl::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  std::vector<HeaderInput> headers;
  for (size_t i = 0; i + 1 < parts.size(); i += 2) {
    HeaderInput header;
    header.name = parts[i];
    header.value = parts[i + 1];
    header.format = (flags & 0x80) != 0 ? static_cast<Format>(flags & 0x0f) : Format::kUnspecified;
    headers.push_back(header);
  }
  if (parts.size() % 2 == 1) headers.push_back({"", parts.back(), Format::kUnspecified});

  DecodeOptions options;
  options.xfcc_element = (flags & 0x40) != 0 ? XfccElement::kFirst : XfccElement::kLast;
  options.limits.max_certificates = 1 + (flags & 0x07);
  options.limits.max_certificate_bytes = (flags & 0x08) != 0 ? 512 : 16 * 1024;

  const DecodeResult result = DecodeHeaders(headers, options);
  if (result.error != DecodeError::kNone) {
    Check(!result.absent);
    Check(result.chain.der.empty());
    Check(!result.message.empty() && result.message.size() <= 256);
    for (char ch : result.message) {
      Check(static_cast<unsigned char>(ch) >= 0x20 && static_cast<unsigned char>(ch) < 0x7f);
    }
  } else if (!result.absent) {
    Check(!result.chain.der.empty());
    Check(result.chain.der.size() <= options.limits.max_certificates);
    for (const auto& der : result.chain.der) {
      Check(der.size() <= options.limits.max_certificate_bytes);
      Check(CheckDerSequence(der).ok());
    }
  }
  return 0;
}
