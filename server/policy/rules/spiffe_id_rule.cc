// spiffe_ids: the leaf's SPIFFE ID matches one of the exact IDs or globs.
#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/glob.h"
#include "server/policy/matchers/spiffe_id.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileSpiffeIdRule(const v1::IdentityMatcher& m) {
  if (m.spiffe_ids().empty()) return nullptr;
  std::vector<std::string> patterns(m.spiffe_ids().begin(), m.spiffe_ids().end());
  for (const std::string& p : patterns) {
    if (absl::Status s = ParseSpiffeId(GlobExample(p)).status(); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("spiffe_ids: \"", p, "\" can match no valid SPIFFE ID: ", s.message()));
    }
  }
  return MakeRule(std::string(checks::kSpiffeId), v1::SPIFFE_ID_MISMATCH, "SPIFFE ID is allowed",
                  [patterns = std::move(patterns)](const RuleContext& c) -> std::optional<std::string> {
                    const std::string uri = SpiffeUriOf(c.leaf.info());
                    if (uri.empty()) return "the leaf has no SPIFFE ID (exactly one spiffe:// URI SAN)";
                    if (absl::Status s = ParseSpiffeId(uri).status(); !s.ok()) {
                      return InvalidSpiffeIdDetail(uri, s);
                    }
                    for (const std::string& p : patterns) {
                      if (GlobMatch(p, uri)) return std::nullopt;
                    }
                    return absl::StrCat("SPIFFE ID ", uri, " is not allowed");
                  });
}

}  // namespace certguard::policy
