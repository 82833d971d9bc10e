#include "server/policy/exclusion_paths.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace certguard::policy {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A byte that may stand in a path as it is: printable ASCII except the ones a server behind
// the proxy may read as structure other than '/' ('\' and ';') or as an escape ('%').
bool PlainByte(unsigned char c) { return c > 0x20 && c < 0x7f && c != '\\' && c != ';' && c != '%'; }

// Decodes %XX escapes once; nullopt on a malformed escape or one that decodes to a byte that
// changes the path's structure or is not printable ASCII.
std::optional<std::string> DecodeStrict(absl::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(path[i]);
    if (c != '%') {
      if (!PlainByte(c)) return std::nullopt;
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (i + 2 >= path.size()) return std::nullopt;
    const int hi = HexValue(path[i + 1]);
    const int lo = HexValue(path[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const unsigned char d = static_cast<unsigned char>(hi * 16 + lo);
    if (!PlainByte(d) || d == '/' || d == '.') return std::nullopt;
    out.push_back(static_cast<char>(d));
    i += 2;
  }
  return out;
}

// Every segment between '/' is non-empty (a trailing empty one aside) and not made of dots only.
bool SegmentsAreNormal(absl::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == absl::string_view::npos) end = path.size();
    const absl::string_view segment = path.substr(start, end - start);
    if (segment.empty() && end != path.size()) return false;  // "//" inside the path
    if (!segment.empty() && segment.find_first_not_of('.') == absl::string_view::npos) return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::optional<std::string> ExclusionPaths::Canonical(absl::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  std::optional<std::string> decoded = DecodeStrict(path);
  if (!decoded || !SegmentsAreNormal(*decoded)) return std::nullopt;
  absl::AsciiStrToLower(&*decoded);
  return decoded;
}

absl::StatusOr<ExclusionPaths> ExclusionPaths::Compile(const std::vector<std::string>& entries) {
  ExclusionPaths out;
  for (size_t i = 0; i < entries.size(); ++i) {
    absl::string_view entry = entries[i];
    Entry e;
    if (absl::EndsWith(entry, "*")) {
      e.raw_prefix = true;
      entry.remove_suffix(1);
    }
    const bool normal =
        !entry.empty() && entry.find_first_of("%*?#") == absl::string_view::npos && Canonical(entry).has_value();
    if (!normal) {
      return absl::InvalidArgumentError(
          absl::StrCat("exclusion_paths[", i, "]: \"", entries[i].substr(0, 256),
                       "\" is not a path in normal form (starts with /; no %, ;, \\, ?, #, empty or dot "
                       "segments, control or non-ASCII characters; * only at the end)"));
    }
    e.prefix = absl::AsciiStrToLower(entry);
    out.entries_.push_back(std::move(e));
  }
  return out;
}

bool ExclusionPaths::Matches(absl::string_view path) const {
  if (entries_.empty() || path.empty()) return false;
  const std::optional<std::string> canonical = Canonical(path);
  if (!canonical) return false;
  for (const Entry& e : entries_) {
    if (!absl::StartsWith(*canonical, e.prefix)) continue;
    // A plain entry matches on a segment boundary: the whole path, or what follows is "/...".
    if (e.raw_prefix || canonical->size() == e.prefix.size() || e.prefix.back() == '/' ||
        (*canonical)[e.prefix.size()] == '/') {
      return true;
    }
  }
  return false;
}

}  // namespace certguard::policy
