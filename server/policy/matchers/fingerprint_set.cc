#include "server/policy/matchers/fingerprint_set.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace certguard::policy {

absl::StatusOr<std::string> NormalizeHex(absl::string_view text, bool strip_leading_zeros) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(absl::StrCat("not a hex string: \"", text, "\""));
    }
    out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (out.empty()) return absl::InvalidArgumentError("empty hex string");
  if (strip_leading_zeros) {
    size_t first = out.find_first_not_of('0');
    out = first == std::string::npos ? "00" : out.substr(first);
  }
  return out;
}

absl::StatusOr<FingerprintSet> FingerprintSet::Create(const std::vector<std::string>& entries,
                                                      std::vector<size_t> allowed_lengths, bool strip_leading_zeros) {
  FingerprintSet result;
  for (const std::string& entry : entries) {
    absl::StatusOr<std::string> hex = NormalizeHex(entry, strip_leading_zeros);
    if (!hex.ok()) return hex.status();
    if (!allowed_lengths.empty() &&
        std::find(allowed_lengths.begin(), allowed_lengths.end(), hex->size()) == allowed_lengths.end()) {
      return absl::InvalidArgumentError(absl::StrCat("\"", entry, "\" has ", hex->size(),
                                                     " hex digits; expected a SHA-1 (40) or SHA-256 (64) fingerprint"));
    }
    result.set_.insert(*std::move(hex));
  }
  return result;
}

}  // namespace certguard::policy
