// A Rule built from a name, a refusal reason and a predicate that returns nullopt when the
// certificate passes or a detail sentence when it does not. Most identity conditions are this.
#ifndef CERTGUARD_SERVER_POLICY_RULES_PREDICATE_RULE_H_
#define CERTGUARD_SERVER_POLICY_RULES_PREDICATE_RULE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/policy/rule.h"

namespace certguard::policy {

using Predicate = std::function<std::optional<std::string>(const RuleContext&)>;

class PredicateRule final : public Rule {
 public:
  PredicateRule(std::string name, v1::Reason reason, std::string pass_detail, Predicate predicate)
      : name_(std::move(name)),
        reason_(reason),
        pass_detail_(std::move(pass_detail)),
        predicate_(std::move(predicate)) {}
  absl::string_view name() const override { return name_; }
  RuleResult Check(const RuleContext& context) const override {
    std::optional<std::string> mismatch = predicate_(context);
    if (mismatch) return RuleResult::Fail(reason_, *std::move(mismatch));
    return RuleResult::Pass(pass_detail_);
  }

 private:
  std::string name_;
  v1::Reason reason_;
  std::string pass_detail_;
  Predicate predicate_;
};

inline std::unique_ptr<const Rule> MakeRule(std::string name, v1::Reason reason, std::string pass_detail,
                                            Predicate predicate) {
  return std::make_unique<PredicateRule>(std::move(name), reason, std::move(pass_detail), std::move(predicate));
}

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_RULES_PREDICATE_RULE_H_
