#include "server/headers/decoder.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/detector.h"
#include "server/headers/excerpt.h"
#include "server/headers/format_catalogue.h"
#include "server/headers/header_format.h"
#include "server/headers/http_text.h"
#include "server/headers/rfc9440.h"
#include "server/headers/xfcc.h"

namespace certguard::headers {
namespace {

DecodeResult Failure(const absl::Status& status) {
  DecodeResult result;
  result.error = DecodeErrorOf(status);
  result.message = std::string(status.message());
  return result;
}

DecodeResult Failure(DecodeError error, absl::string_view message) { return Failure(DecodeFailure(error, message)); }

size_t TotalBytes(std::span<const HeaderInput> headers) {
  size_t total = 0;
  for (const HeaderInput& header : headers) {
    for (size_t part : {header.name.size(), header.value.size()}) {
      if (part > std::numeric_limits<size_t>::max() - total) {
        return std::numeric_limits<size_t>::max();
      }
      total += part;
    }
  }
  return total;
}

bool NameAllowed(absl::string_view name, const std::vector<std::string>& allowed) {
  if (allowed.empty()) return true;
  if (name.empty()) return false;
  return std::any_of(allowed.begin(), allowed.end(),
                     [name](const std::string& entry) { return absl::EqualsIgnoreCase(name, entry); });
}

bool FormatAllowed(Format format, const std::vector<Format>& allowed) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), format) != allowed.end();
}

std::string FormatNotAllowedMessage(Format format) {
  return absl::StrCat("header format ", FormatName(format), " is not allowed");
}

}  // namespace

DecodeResult DecodeHeaders(std::span<const HeaderInput> headers, const DecodeOptions& options) {
  // (1) Size, before anything else looks at the bytes.
  const size_t total = TotalBytes(headers);
  if (total > options.limits.max_header_bytes) {
    return Failure(DecodeError::kHeaderTooLarge,
                   absl::StrCat("certificate headers total ", total, " bytes, over the limit of ",
                                options.limits.max_header_bytes));
  }

  // (2) Header names, every header given (empty values included).
  for (const HeaderInput& header : headers) {
    if (!NameAllowed(header.name, options.allowed_header_names)) {
      return Failure(DecodeError::kHeaderNotAllowed,
                     header.name.empty() ? std::string("a header without a name is not allowed")
                                         : absl::StrCat("header ", Excerpt(header.name), " is not allowed"));
    }
  }

  // (3) Presence. Empty headers carry nothing and are otherwise ignored.
  const HeaderInput* leaf = nullptr;
  std::vector<const HeaderInput*> chain_headers;
  for (const HeaderInput& header : headers) {
    if (IsBlank(header.value)) continue;
    if (IsChainOnlyHeader(header.name)) {
      chain_headers.push_back(&header);
    } else if (leaf != nullptr) {
      return Failure(DecodeError::kMalformed, "more than one certificate header");
    } else {
      leaf = &header;
    }
  }
  if (leaf == nullptr && chain_headers.empty()) {
    DecodeResult result;
    result.absent = true;
    return result;
  }
  if (leaf == nullptr) {
    return Failure(DecodeError::kMalformed, "Client-Cert-Chain without Client-Cert");
  }

  // (4) Format.
  const absl::string_view leaf_value = TrimOws(leaf->value);
  const Format format = leaf->format != Format::kUnspecified ? leaf->format : DetectFormat(leaf->name, leaf_value);
  if (format == Format::kUnspecified) {
    return Failure(DecodeError::kMalformed,
                   absl::StrCat("unrecognized certificate header value ", Excerpt(leaf_value)));
  }
  if (!FormatAllowed(format, options.allowed_formats)) {
    return Failure(DecodeError::kFormatNotAllowed, FormatNotAllowedMessage(format));
  }
  if (!chain_headers.empty()) {
    for (const HeaderInput* chain : chain_headers) {
      if (chain->format != Format::kUnspecified && chain->format != Format::kRfc9440) {
        return Failure(DecodeError::kMalformed,
                       absl::StrCat("Client-Cert-Chain cannot be in format ", FormatName(chain->format)));
      }
    }
    if (format != Format::kRfc9440) {
      return Failure(DecodeError::kMalformed,
                     absl::StrCat("Client-Cert-Chain cannot complete a ", FormatName(format), " leaf header"));
    }
  }

  // (5) Decode; (6) limits are enforced by the collector while decoding.
  CertCollector collector(options.limits);
  std::optional<XfccMetadata> xfcc;
  const FormatInfo* decoder = FindFormat(format);
  if (decoder == nullptr) return Failure(DecodeError::kMalformed, "no decoder for the header format");
  absl::Status status = decoder->decode(leaf_value, options, &collector, &xfcc);
  if (!status.ok()) return Failure(status);
  if (collector.size() == 0) {
    return Failure(DecodeError::kMalformed, "no certificate in the header");
  }
  for (const HeaderInput* chain : chain_headers) {
    status = DecodeClientCertChain(TrimOws(chain->value), &collector);
    if (!status.ok()) return Failure(status);
  }

  DecodeResult result;
  result.chain.der = collector.Release();
  result.chain.format = format;
  result.chain.header_name = std::string(leaf->name);
  result.chain.xfcc = std::move(xfcc);
  return result;
}

}  // namespace certguard::headers
