// issuer: the leaf's issuer DN, CN, O and OU match.
#include "server/policy/check_names.h"
#include "server/policy/matchers/name_matcher.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileIssuerRule(const v1::IdentityMatcher& m) {
  if (!m.has_issuer()) return nullptr;
  NameMatcher matcher(m.issuer());
  if (matcher.empty()) return nullptr;
  return MakeRule(std::string(checks::kIssuer), v1::ISSUER_MISMATCH, "issuer matches", [matcher](const RuleContext& c) {
    const auto& i = c.leaf.info();
    return matcher.Mismatch({i.issuer_dn, i.issuer_cn, i.issuer_o, i.issuer_ou});
  });
}

}  // namespace certguard::policy
