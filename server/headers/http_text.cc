#include "server/headers/http_text.h"

#include <cstddef>
#include <string_view>

namespace certguard::headers {
namespace {

char ToLowerAscii(char ch) {
  return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
}

template <typename Pred>
std::string_view Trim(std::string_view text, Pred is_space) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view TrimOws(std::string_view text) { return Trim(text, IsOws); }

std::string_view TrimLineWhitespace(std::string_view text) { return Trim(text, IsLineWhitespace); }

bool IsBlank(std::string_view text) { return TrimLineWhitespace(text).empty(); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

}  // namespace certguard::headers
