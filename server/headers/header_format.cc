#include "server/headers/header_format.h"

#include <array>
#include <optional>
#include <string_view>

#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

struct FormatEntry {
  Format format;
  std::string_view name;
};

constexpr std::array<FormatEntry, 9> kFormats = {{
    {Format::kUnspecified, "UNSPECIFIED"},
    {Format::kBase64Der, "BASE64_DER"},
    {Format::kPemBody, "PEM_BODY"},
    {Format::kPem, "PEM"},
    {Format::kUrlEncodedPem, "URL_ENCODED_PEM"},
    {Format::kXfcc, "XFCC"},
    {Format::kRfc9440, "RFC9440"},
    {Format::kNginxTabbedPem, "NGINX_TABBED_PEM"},
    {Format::kTraefik, "TRAEFIK"},
}};

// The proto enum spells the zero value with its type prefix.
constexpr std::string_view kProtoUnspecifiedName = "HEADER_FORMAT_UNSPECIFIED";

}  // namespace

std::string_view FormatName(Format format) {
  for (const FormatEntry& entry : kFormats) {
    if (entry.format == format) return entry.name;
  }
  return "UNKNOWN";
}

std::optional<Format> ParseFormatName(std::string_view name) {
  if (EqualsIgnoreCase(name, kProtoUnspecifiedName)) return Format::kUnspecified;
  for (const FormatEntry& entry : kFormats) {
    if (EqualsIgnoreCase(name, entry.name)) return entry.format;
  }
  return std::nullopt;
}

}  // namespace certguard::headers
