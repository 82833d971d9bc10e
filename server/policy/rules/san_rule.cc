// san: one of the leaf's subject alternative names matches one of the matchers.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/san_matcher.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileSanRule(const v1::IdentityMatcher& m) {
  if (m.san().empty()) return nullptr;
  std::vector<SanMatcher> matchers;
  for (int k = 0; k < m.san_size(); ++k) {
    auto sm = SanMatcher::Create(m.san(k));
    if (!sm.ok()) return IdentityFieldError(absl::StrCat("san[", k, "]"), sm.status());
    matchers.push_back(*std::move(sm));
  }
  return MakeRule(std::string(checks::kSan), v1::SAN_MISMATCH, "a subject alternative name matches",
                  [matchers = std::move(matchers)](const RuleContext& c) -> std::optional<std::string> {
                    for (const SanMatcher& sm : matchers) {
                      if (sm.Matches(c.leaf.info().sans)) return std::nullopt;
                    }
                    std::vector<std::string> wanted, unparsable;
                    for (const SanMatcher& sm : matchers) {
                      wanted.push_back(sm.ToString());
                      if (std::string why = sm.DescribeUnparsable(c.leaf.info().sans); !why.empty()) {
                        unparsable.push_back(std::move(why));
                      }
                    }
                    std::string detail =
                        absl::StrCat("no subject alternative name matches any of [", absl::StrJoin(wanted, "; "), "]");
                    if (!unparsable.empty()) absl::StrAppend(&detail, " (", absl::StrJoin(unparsable, "; "), ")");
                    return detail;
                  });
}

}  // namespace certguard::policy
