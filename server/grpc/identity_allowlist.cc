#include "server/grpc/identity_allowlist.h"

#include <fnmatch.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace certguard::rpc {

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
      // FNM_PATHNAME: '*' never crosses a '/'.
      if (fnmatch(pattern.c_str(), peer.spiffe_id.c_str(), FNM_PATHNAME) == 0) return true;
    }
  }
  return false;
}

}  // namespace certguard::rpc
