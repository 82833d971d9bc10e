#include "server/headers/detector.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "server/headers/base64.h"
#include "server/headers/header_format.h"
#include "server/headers/http_text.h"
#include "server/headers/percent.h"

namespace certguard::headers {
namespace {

constexpr std::string_view kPemBeginPrefix = "-----BEGIN";
constexpr std::string_view kEscapedPemBeginPrefix = "%2D%2D%2D%2D%2DBEGIN";
constexpr std::string_view kAlbName = "x-amzn-mtls-clientcert";
constexpr std::string_view kAlbPrefix = "x-amzn-mtls-clientcert-";
constexpr std::string_view kUrlEncodedPemBegin = "-----BEGIN%20";

constexpr std::array<std::string_view, 7> kXfccKeys = {"by",      "hash", "cert", "chain",
                                                       "subject", "uri",  "dns"};

std::optional<Format> FormatFromName(std::string_view name) {
  if (EqualsIgnoreCase(name, "x-forwarded-client-cert")) return Format::kXfcc;
  if (EqualsIgnoreCase(name, "client-cert") || EqualsIgnoreCase(name, "client-cert-chain")) {
    return Format::kRfc9440;
  }
  if (EqualsIgnoreCase(name, "x-forwarded-tls-client-cert")) return Format::kTraefik;
  if (EqualsIgnoreCase(name, kAlbName) || StartsWithIgnoreCase(name, kAlbPrefix)) {
    return Format::kUrlEncodedPem;
  }
  if (EqualsIgnoreCase(name, "cf-client-cert-der-base64")) return Format::kBase64Der;
  return std::nullopt;
}

bool StartsWithXfccKey(std::string_view value) {
  const size_t equals = value.find('=');
  if (equals == std::string_view::npos) return false;
  const std::string_view key = value.substr(0, equals);
  for (std::string_view known : kXfccKeys) {
    if (EqualsIgnoreCase(key, known)) return true;
  }
  return false;
}

// Which kinds of bytes a value holds, for rules 12-14.
struct ValueClasses {
  bool other = false;       // anything not listed below
  bool whitespace = false;  // SP/HTAB/CR/LF
  bool line_break = false;  // CR/LF
  bool comma = false;
  bool percent = false;
};

ValueClasses Classify(std::string_view value) {
  ValueClasses classes;
  for (char ch : value) {
    if (IsBase64Char(ch) || ch == '=') continue;
    if (IsLineWhitespace(ch)) {
      classes.whitespace = true;
      if (ch == '\r' || ch == '\n') classes.line_break = true;
    } else if (ch == ',') {
      classes.comma = true;
    } else if (ch == '%') {
      classes.percent = true;
    } else {
      classes.other = true;
    }
  }
  return classes;
}

Format FormatFromValue(std::string_view value) {
  if (value.starts_with(kPemBeginPrefix)) {
    if (ContainsPercentEscapeOf(value, "\r\n") || value.starts_with(kUrlEncodedPemBegin)) {
      return Format::kUrlEncodedPem;
    }
    if (value.find("\n\t") != std::string_view::npos) return Format::kNginxTabbedPem;
    return Format::kPem;
  }
  if (StartsWithIgnoreCase(value, kEscapedPemBeginPrefix)) return Format::kUrlEncodedPem;
  if (value.starts_with(':')) return Format::kRfc9440;
  if (StartsWithXfccKey(value)) return Format::kXfcc;

  const ValueClasses classes = Classify(value);
  if (classes.other) return Format::kUnspecified;
  if (!classes.comma && !classes.percent) {
    return classes.whitespace ? Format::kPemBody : Format::kBase64Der;
  }
  if (!classes.line_break && (classes.comma || ContainsPercentEscapeOf(value, "+/=,"))) {
    return Format::kTraefik;
  }
  return Format::kUnspecified;
}

}  // namespace

Format DetectFormat(std::string_view header_name, std::string_view value) {
  if (std::optional<Format> by_name = FormatFromName(header_name)) return *by_name;
  value = TrimLineWhitespace(value);
  if (value.empty()) return Format::kUnspecified;
  return FormatFromValue(value);
}

bool IsChainOnlyHeader(std::string_view header_name) {
  return EqualsIgnoreCase(header_name, "client-cert-chain");
}

}  // namespace certguard::headers
