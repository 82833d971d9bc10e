// subject: the leaf's subject DN, CN, O and OU match (matchers/name_matcher.h).
#include "server/policy/check_names.h"
#include "server/policy/matchers/name_matcher.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileSubjectRule(const v1::IdentityMatcher& m) {
  if (!m.has_subject()) return nullptr;
  NameMatcher matcher(m.subject());
  if (matcher.empty()) return nullptr;
  return MakeRule(std::string(checks::kSubject), v1::SUBJECT_MISMATCH, "subject matches",
                  [matcher](const RuleContext& c) {
                    const auto& i = c.leaf.info();
                    return matcher.Mismatch({i.subject_dn, i.subject_cn, i.subject_o, i.subject_ou});
                  });
}

}  // namespace certguard::policy
