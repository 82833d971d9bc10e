#include "server/headers/header_format.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server/headers/format_catalogue.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

// The proto enum spells the zero value with its type prefix.
constexpr absl::string_view kProtoUnspecifiedName = "HEADER_FORMAT_UNSPECIFIED";

}  // namespace

absl::string_view FormatName(Format format) {
  if (format == Format::kUnspecified) return "UNSPECIFIED";
  const FormatInfo* info = FindFormat(format);
  return info != nullptr ? info->name : "UNKNOWN";
}

std::optional<Format> ParseFormatName(absl::string_view name) {
  if (absl::EqualsIgnoreCase(name, kProtoUnspecifiedName) || absl::EqualsIgnoreCase(name, "UNSPECIFIED")) {
    return Format::kUnspecified;
  }
  for (const FormatInfo& info : AllFormats()) {
    if (absl::EqualsIgnoreCase(name, info.name)) return info.format;
  }
  return std::nullopt;
}

}  // namespace certguard::headers
