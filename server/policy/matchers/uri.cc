#include "server/policy/matchers/uri.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace certguard::policy {
namespace {

bool Unreserved(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool SubDelimOrGenDelim(char c) {
  switch (c) {
    case ':':
    case '/':
    case '?':
    case '#':
    case '[':
    case ']':
    case '@':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}

int UpperHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::Status Invalid(absl::string_view why) { return absl::InvalidArgumentError(std::string(why)); }

// Characters and escapes of the whole text; '[' and ']' are checked by the caller.
absl::Status CheckCharacters(absl::string_view uri) {
  for (size_t i = 0; i < uri.size(); ++i) {
    const char c = uri[i];
    if (c == '%') {
      if (i + 2 >= uri.size()) return Invalid("a %-escape is cut short");
      const int hi = UpperHex(uri[i + 1]), lo = UpperHex(uri[i + 2]);
      if (hi < 0 || lo < 0) {
        return Invalid("a %-escape is not two upper-case hex digits (RFC 3986 6.2.2.1)");
      }
      if (Unreserved(static_cast<char>(hi * 16 + lo))) {
        return Invalid("an unreserved character is %-escaped (RFC 3986 6.2.2.2)");
      }
      i += 2;
      continue;
    }
    if (!Unreserved(c) && !SubDelimOrGenDelim(c)) {
      return Invalid("a character outside RFC 3986 (space, control, non-ASCII, \" < > \\ ^ ` { | })");
    }
  }
  return absl::OkStatus();
}

bool HasUpper(absl::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<UriParts> ParseNormalUri(absl::string_view uri) {
  if (absl::Status s = CheckCharacters(uri); !s.ok()) return s;
  UriParts parts;
  const size_t colon = uri.find(':');
  if (colon == absl::string_view::npos || colon == 0) return Invalid("not an absolute URI (no scheme)");
  parts.scheme = uri.substr(0, colon);
  if (!absl::ascii_isalpha(static_cast<unsigned char>(parts.scheme[0])))
    return Invalid("the scheme must start with a letter");
  for (char c : parts.scheme) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return Invalid("the scheme has a character outside ALPHA DIGIT + - .");
    }
  }
  if (HasUpper(parts.scheme)) return Invalid("the scheme must be lower case (RFC 3986 6.2.2.1)");
  absl::string_view rest = uri.substr(colon + 1);
  if (const size_t hash = rest.find('#'); hash != absl::string_view::npos) {
    parts.fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
    if (parts.fragment->find('#') != absl::string_view::npos) return Invalid("a second '#'");
  }
  if (const size_t q = rest.find('?'); q != absl::string_view::npos) {
    parts.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const size_t slash = rest.find('/');
    parts.authority = rest.substr(0, slash);
    rest = slash == absl::string_view::npos ? absl::string_view() : rest.substr(slash);
    absl::string_view host = *parts.authority;
    if (const size_t at = host.rfind('@'); at != absl::string_view::npos) host.remove_prefix(at + 1);
    if (!host.empty() && host[0] == '[') {
      const size_t close = host.find(']');
      if (close == absl::string_view::npos) return Invalid("an IP literal without ']'");
      host = host.substr(0, close + 1);
    } else if (const size_t port = host.find(':'); port != absl::string_view::npos) {
      host = host.substr(0, port);
    }
    if (HasUpper(host)) return Invalid("the host must be lower case (RFC 3986 6.2.2.1)");
  }
  parts.path = rest;
  const auto brackets = [](absl::string_view s) { return s.find_first_of("[]") != absl::string_view::npos; };
  if (brackets(parts.path) || (parts.query && brackets(*parts.query)) ||
      (parts.fragment && brackets(*parts.fragment))) {
    return Invalid("'[' or ']' outside the host");
  }
  size_t start = 0;
  while (start <= parts.path.size()) {
    size_t end = parts.path.find('/', start);
    if (end == absl::string_view::npos) end = parts.path.size();
    const absl::string_view segment = parts.path.substr(start, end - start);
    if (segment == "." || segment == "..") return Invalid("a '.' or '..' path segment (RFC 3986 6.2.2.3)");
    start = end + 1;
  }
  return parts;
}

}  // namespace certguard::policy
