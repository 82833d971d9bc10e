#include "server/headers/header_format.h"

#include <optional>
#include <string_view>

#include "server/headers/format_catalogue.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

// The proto enum spells the zero value with its type prefix.
constexpr std::string_view kProtoUnspecifiedName = "HEADER_FORMAT_UNSPECIFIED";

}  // namespace

std::string_view FormatName(Format format) {
  if (format == Format::kUnspecified) return "UNSPECIFIED";
  const FormatInfo* info = FindFormat(format);
  return info != nullptr ? info->name : "UNKNOWN";
}

std::optional<Format> ParseFormatName(std::string_view name) {
  if (EqualsIgnoreCase(name, kProtoUnspecifiedName) || EqualsIgnoreCase(name, "UNSPECIFIED")) {
    return Format::kUnspecified;
  }
  for (const FormatInfo& info : AllFormats()) {
    if (EqualsIgnoreCase(name, info.name)) return info.format;
  }
  return std::nullopt;
}

}  // namespace certguard::headers
