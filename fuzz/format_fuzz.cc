// libFuzzer target for one forwarding format's decoder, built once per entry of the format
// catalogue with CERTGUARD_FUZZ_FORMAT_NAME (its certguard.v1.HeaderFormat name) and
// CERTGUARD_FUZZ_HEADER (the header name a proxy uses for it). The input is the raw header value, passed with the
// format stated, so every input reaches that format's decoder (no detection in front of it).
//
// For RFC 9440, bytes after the first 0xff form a Client-Cert-Chain header. The decode is also
// repeated with tight limits (2 certificates of at most 512 bytes) to exercise the limit paths.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_contract.h"
#include "server/headers/decoder.h"
#include "server/headers/header_format.h"

#ifndef CERTGUARD_FUZZ_FORMAT_NAME
#error "CERTGUARD_FUZZ_FORMAT_NAME must name a format of the catalogue"
#endif
#ifndef CERTGUARD_FUZZ_HEADER
#error "CERTGUARD_FUZZ_HEADER must name the format's header"
#endif

namespace {

using ::certguard::fuzz::Check;
using ::certguard::fuzz::CheckDecodeResult;
using ::certguard::headers::DecodeError;
using ::certguard::headers::DecodeHeaders;
using ::certguard::headers::DecodeOptions;
using ::certguard::headers::DecodeResult;
using ::certguard::headers::Format;
using ::certguard::headers::HeaderInput;

const Format kFormat = *::certguard::headers::ParseFormatName(CERTGUARD_FUZZ_FORMAT_NAME);

void DecodeOnce(const std::vector<HeaderInput>& headers, const DecodeOptions& options) {
  const DecodeResult result = DecodeHeaders(headers, options);
  CheckDecodeResult(result, options);
  if (result.error == DecodeError::kNone && !result.absent) {
    Check(result.chain.format == kFormat, "decoded format differs from the stated one");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<HeaderInput> headers;
  if (kFormat == Format::kRfc9440) {
    const size_t cut = input.find('\xff');
    headers.push_back({CERTGUARD_FUZZ_HEADER, input.substr(0, cut), kFormat});
    if (cut != absl::string_view::npos) {
      headers.push_back({"Client-Cert-Chain", input.substr(cut + 1), kFormat});
    }
  } else {
    headers.push_back({CERTGUARD_FUZZ_HEADER, input, kFormat});
  }

  DecodeOptions options;
  DecodeOnce(headers, options);

  DecodeOptions tight;
  tight.limits.max_certificates = 2;
  tight.limits.max_certificate_bytes = 512;
  tight.xfcc_element = ::certguard::headers::XfccElement::kFirst;
  DecodeOnce(headers, tight);
  return 0;
}
