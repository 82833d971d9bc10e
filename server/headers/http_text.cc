#include "server/headers/http_text.h"

#include "absl/strings/string_view.h"

namespace certguard::headers {
namespace {

template <typename Pred>
absl::string_view Trim(absl::string_view text, Pred is_space) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

absl::string_view TrimOws(absl::string_view text) { return Trim(text, IsOws); }

absl::string_view TrimLineWhitespace(absl::string_view text) { return Trim(text, IsLineWhitespace); }

bool IsBlank(absl::string_view text) { return TrimLineWhitespace(text).empty(); }

}  // namespace certguard::headers
