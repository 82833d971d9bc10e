// Byte classes and trimming shared by the format decoders. Locale-independent, NUL-safe.
#ifndef CERTGUARD_SERVER_HEADERS_HTTP_TEXT_H_
#define CERTGUARD_SERVER_HEADERS_HTTP_TEXT_H_

#include "absl/strings/string_view.h"

namespace certguard::headers {

// SP or HTAB: HTTP's optional whitespace.
constexpr bool IsOws(char ch) { return ch == ' ' || ch == '\t'; }

// SP, HTAB, CR or LF: whitespace a PEM text or a line-broken base64 body may contain.
constexpr bool IsLineWhitespace(char ch) { return IsOws(ch) || ch == '\r' || ch == '\n'; }

// RFC 9110 tchar: the bytes of a token (header names, XFCC keys, RFC 8941 tokens).
constexpr bool IsTchar(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         absl::string_view("!#$%&'*+-.^_`|~").find(ch) != absl::string_view::npos;
}

// `text` without leading and trailing SP/HTAB (what an HTTP parser strips from a field value).
absl::string_view TrimOws(absl::string_view text);

// `text` without leading and trailing SP/HTAB/CR/LF.
absl::string_view TrimLineWhitespace(absl::string_view text);

// True when `text` is empty or only SP/HTAB/CR/LF.
bool IsBlank(absl::string_view text);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_HTTP_TEXT_H_
