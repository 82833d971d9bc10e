// A set of hex fingerprints (thumbprints, serials) normalised to upper-case hex without
// separators, so "ab:cd", "ABCD" and "abcd" are the same entry.
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_FINGERPRINT_SET_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_FINGERPRINT_SET_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::policy {

// Upper-cases and strips ':' and spaces; fails on any other non-hex character. Leading zeros
// are dropped when `strip_leading_zeros` (serial numbers), keeping at least "00".
absl::StatusOr<std::string> NormalizeHex(absl::string_view text, bool strip_leading_zeros = false);

class FingerprintSet {
 public:
  // `allowed_lengths`: accepted hex lengths (e.g. {40, 64} for SHA-1/SHA-256); empty = any.
  static absl::StatusOr<FingerprintSet> Create(const std::vector<std::string>& entries,
                                               std::vector<size_t> allowed_lengths, bool strip_leading_zeros = false);
  bool empty() const { return set_.empty(); }
  // `hex` must already be normalised (upper case, no separators).
  bool Contains(absl::string_view hex) const { return set_.contains(hex); }

 private:
  absl::flat_hash_set<std::string> set_;
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_FINGERPRINT_SET_H_
