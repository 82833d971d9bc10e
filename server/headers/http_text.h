// Byte classes and trimming shared by the format decoders. Locale-independent, NUL-safe.
#ifndef CERTGUARD_SERVER_HEADERS_HTTP_TEXT_H_
#define CERTGUARD_SERVER_HEADERS_HTTP_TEXT_H_

#include <string_view>

namespace certguard::headers {

// SP or HTAB: HTTP's optional whitespace.
constexpr bool IsOws(char ch) { return ch == ' ' || ch == '\t'; }

// SP, HTAB, CR or LF: whitespace a PEM text or a line-broken base64 body may contain.
constexpr bool IsLineWhitespace(char ch) { return IsOws(ch) || ch == '\r' || ch == '\n'; }

// RFC 9110 tchar: the bytes of a token (header names, XFCC keys, RFC 8941 tokens).
constexpr bool IsTchar(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

// `text` without leading and trailing SP/HTAB (what an HTTP parser strips from a field value).
std::string_view TrimOws(std::string_view text);

// `text` without leading and trailing SP/HTAB/CR/LF.
std::string_view TrimLineWhitespace(std::string_view text);

// True when `text` is empty or only SP/HTAB/CR/LF.
bool IsBlank(std::string_view text);

// ASCII case-insensitive comparisons (header names, keys); other bytes compare exactly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_HTTP_TEXT_H_
