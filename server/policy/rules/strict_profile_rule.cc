#include "absl/strings/str_cat.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {
namespace {

// Checks OpenSSL's path validation does not make, on the leaf and every verified issuer.
// Each refusal has its own reason code; see the README's "Strict profile" table.
class StrictProfileRule final : public Rule {
 public:
  absl::string_view name() const override { return "strict_profile"; }
  RuleResult Check(const RuleContext& context) const override {
    const auto& leaf = context.leaf.info();
    if (leaf.version != 3) {
      return RuleResult::Fail(v1::CERTIFICATE_VERSION_INVALID,
                              absl::StrCat("the leaf is an X.509 v", leaf.version, " certificate; v3 is required"));
    }
    if (leaf.is_ca) return RuleResult::Fail(v1::LEAF_IS_CA, "the leaf is a CA certificate (basicConstraints cA=TRUE)");
    if (leaf.has_key_usage && (leaf.key_usage & x509::kKeyCertSign)) {
      return RuleResult::Fail(v1::LEAF_IS_CA, "the leaf has keyCertSign key usage");
    }
    for (size_t d = 1; d < context.path.size(); ++d) {
      const auto& ca = context.path[d]->info();
      if (ca.version != 3) {
        return RuleResult::Fail(v1::CERTIFICATE_VERSION_INVALID,
                                absl::StrCat("issuer at depth ", d, " is an X.509 v", ca.version, " certificate"));
      }
    }
    return RuleResult::Pass("X.509 v3, leaf is not a CA");
  }
};

}  // namespace

std::unique_ptr<const Rule> MakeStrictProfileRule(const v1::StrictProfile& strict) {
  if (strict.has_enabled() && !strict.enabled()) return nullptr;
  return std::make_unique<StrictProfileRule>();
}

}  // namespace certguard::policy
