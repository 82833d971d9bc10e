#include "server/policy/matchers/glob.h"

#include <vector>

namespace certguard::policy {

// Dynamic programming over (pattern position, text position); O(|p|*|t|) time, O(|t|) space,
// no recursion, so hostile inputs cannot blow the stack or take exponential time.
bool GlobMatch(absl::string_view pattern, absl::string_view text) {
  const size_t n = text.size();
  std::vector<char> cur(n + 1, 0), next(n + 1, 0);
  cur[0] = 1;
  size_t i = 0;
  while (i < pattern.size()) {
    std::fill(next.begin(), next.end(), 0);
    if (pattern[i] == '*') {
      const bool double_star = i + 1 < pattern.size() && pattern[i + 1] == '*';
      const size_t len = double_star ? 2 : 1;
      // A star that is a whole segment matches at least one character.
      const bool nonempty = (i == 0 || pattern[i - 1] == '/') && (i + len == pattern.size() || pattern[i + len] == '/');
      // next[j] = exists k <= j (k < j when nonempty) with cur[k] and text[k..j) allowed
      // (no '/' for a single star).
      bool reachable = false;
      for (size_t j = 0; j <= n; ++j) {
        if (!nonempty && cur[j]) reachable = true;
        next[j] = reachable;
        if (nonempty && cur[j]) reachable = true;
        if (j < n && !double_star && text[j] == '/') reachable = false;
      }
      i += len;
    } else {
      for (size_t j = 0; j < n; ++j) {
        if (cur[j] && text[j] == pattern[i]) next[j + 1] = 1;
      }
      ++i;
    }
    std::swap(cur, next);
  }
  return cur[n];
}

std::string GlobExample(absl::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '*') {
      out.push_back(pattern[i]);
      continue;
    }
    out.push_back('x');
    while (i + 1 < pattern.size() && pattern[i + 1] == '*') ++i;
  }
  return out;
}

}  // namespace certguard::policy
