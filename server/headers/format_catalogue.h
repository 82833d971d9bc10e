// The format catalogue: every forwarding format certguard decodes, and every header name proxies
// put a client certificate in, each in one table entry. Everything that lists formats or header
// names reads these tables: format names (header_format.cc), decoding (decoder.cc), detection
// by name (detector.cc), the policy loader's "unknown format" message, ext_authz's list of all
// certificate sources, the per-format fuzz targets (fuzz/CMakeLists.txt reads this file's
// kFormats lines), and the tests that hold the proto enum and docs/header-formats.md to it.
//
// Adding a format: its value in certguard.v1.HeaderFormat and headers::Format, a decoder file,
// one kFormats line, its header names in kKnownHeaders, a detection rule by value in detector.cc
// when the name does not fix it, and its row in docs/header-formats.md.
#ifndef CERTGUARD_SERVER_HEADERS_FORMAT_CATALOGUE_H_
#define CERTGUARD_SERVER_HEADERS_FORMAT_CATALOGUE_H_

#include <optional>
#include <span>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decoder.h"
#include "server/headers/header_format.h"

namespace certguard::headers {

// Decodes a leaf header's value (OWS trimmed) into `out`; XFCC also fills `xfcc`.
using FormatDecoder = absl::Status (*)(absl::string_view value, const DecodeOptions& options, CertCollector* out,
                                       std::optional<XfccMetadata>* xfcc);

struct FormatInfo {
  Format format;
  absl::string_view name;         // the certguard.v1.HeaderFormat name
  absl::string_view fuzz_header;  // the header name its fuzz target states
  FormatDecoder decode;
};

// How detection treats a header name.
enum class HeaderRole {
  kFixesFormat,          // the name alone decides the format
  kFixesFormatByPrefix,  // every name starting with this one decides the format
  kDetectByValue,        // a convention; the format is detected from the value
  kChainOnly,            // carries chain certificates only, read with its leaf header
};

struct KnownHeader {
  absl::string_view name;  // lower-case
  Format format;           // kUnspecified for kDetectByValue names used with several formats
  HeaderRole role;
  absl::string_view sent_by;
};

// Every format but kUnspecified, in the enum's order.
std::span<const FormatInfo> AllFormats();
// The entry of `format`; null for kUnspecified or a value the catalogue does not know.
const FormatInfo* FindFormat(Format format);

// Header names proxies use, in the order ext_authz tries them when told to try them all.
std::span<const KnownHeader> KnownHeaders();

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_FORMAT_CATALOGUE_H_
