#include "server/x509/name_syntax.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace certguard::x509 {

bool IsHostname(absl::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == absl::string_view::npos) end = name.size();
    const absl::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    start = end + 1;
  }
  return true;
}

bool IsDnsSan(absl::string_view name) {
  if (absl::StartsWith(name, "*.")) name.remove_prefix(2);
  return IsHostname(name);
}

bool IsMailbox(absl::string_view name) {
  const size_t at = name.find('@');
  if (at == absl::string_view::npos || at == 0 || name.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  for (char c : name.substr(0, at)) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return IsHostname(name.substr(at + 1));
}

}  // namespace certguard::x509
