#include "server/policy/matchers/identity_allowlist.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/policy/matchers/glob.h"

namespace certguard::policy {

absl::StatusOr<IdentityAllowlist> IdentityAllowlist::Parse(const std::vector<std::string>& entries) {
  IdentityAllowlist out;
  for (const std::string& entry : entries) {
    if (absl::StartsWithIgnoreCase(entry, "spiffe://") && entry.size() > 9) {
      out.spiffe_.push_back(entry);
    } else if (absl::StartsWith(entry, "sha256:")) {
      std::string hex = absl::AsciiStrToUpper(absl::StrReplaceAll(entry.substr(7), {{":", ""}}));
      if (hex.size() != 64 || hex.find_first_not_of("0123456789ABCDEF") != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("'", entry, "': a SHA-256 is 64 hex digits"));
      }
      out.sha256_.push_back(std::move(hex));
    } else if (absl::StartsWith(entry, "dn:") && entry.size() > 3) {
      out.dn_.push_back(entry.substr(3));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("'", entry, "': expected spiffe://…, sha256:HEX or dn:SUBJECT (RFC 2253)"));
    }
  }
  return out;
}

std::string PeerIdentity::ToString() const {
  if (!has_certificate) return "";
  if (!spiffe_id.empty()) return spiffe_id;
  if (!subject_dn.empty()) return absl::StrCat("dn:", subject_dn);
  return absl::StrCat("sha256:", sha256_hex);
}

bool IdentityAllowlist::Allows(const PeerIdentity& peer) const {
  if (!peer.has_certificate) return false;
  for (const std::string& hex : sha256_) {
    if (hex == peer.sha256_hex) return true;
  }
  for (const std::string& dn : dn_) {
    if (dn == peer.subject_dn) return true;
  }
  if (!peer.spiffe_id.empty()) {
    for (const std::string& pattern : spiffe_) {
      if (GlobMatch(pattern, peer.spiffe_id)) return true;
    }
  }
  return false;
}

}  // namespace certguard::policy
