#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/check_names.h"
#include "server/policy/rules/predicate_rule.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {
namespace {

// Checks one certificate's key; returns {reason, detail} on failure.
struct KeyLimits {
  uint32_t min_rsa_bits;
  uint32_t max_rsa_bits;
  std::vector<std::string> curves;      // lower-case
  std::vector<std::string> algorithms;  // upper-case

  std::optional<std::pair<v1::Reason, std::string>> Check(const x509::CertificateInfo& i, size_t depth) const {
    const std::string where =
        absl::StrCat(depth == 0 ? "leaf" : "chain certificate ", depth == 0 ? "" : absl::StrCat(depth));
    if (std::find(algorithms.begin(), algorithms.end(), absl::AsciiStrToUpper(i.key_algorithm)) == algorithms.end()) {
      return std::make_pair(v1::KEY_ALGORITHM_NOT_ALLOWED,
                            absl::StrCat(where, ": key algorithm ", i.key_algorithm, " is not allowed"));
    }
    if (i.key_algorithm == "RSA" || i.key_algorithm == "RSA-PSS") {
      if (static_cast<uint32_t>(i.key_bits) > max_rsa_bits) {
        return std::make_pair(v1::KEY_TOO_LARGE, absl::StrCat(where, ": RSA key of ", i.key_bits,
                                                              " bits is over the maximum ", max_rsa_bits));
      }
      if (static_cast<uint32_t>(i.key_bits) < min_rsa_bits) {
        return std::make_pair(v1::KEY_TOO_SMALL, absl::StrCat(where, ": RSA key of ", i.key_bits,
                                                              " bits is under the minimum ", min_rsa_bits));
      }
    }
    if (i.key_algorithm == "EC" &&
        std::find(curves.begin(), curves.end(), absl::AsciiStrToLower(i.key_curve)) == curves.end()) {
      return std::make_pair(v1::CURVE_NOT_ALLOWED, absl::StrCat(where, ": curve ", i.key_curve, " is not allowed"));
    }
    return std::nullopt;
  }
};

class KeyRule final : public Rule {
 public:
  explicit KeyRule(KeyLimits limits) : limits_(std::move(limits)) {}
  absl::string_view name() const override { return checks::kKey; }
  RuleResult Check(const RuleContext& context) const override {
    for (size_t d = 0; d < context.presented.size(); ++d) {
      if (auto failure = limits_.Check(context.presented[d]->info(), d)) {
        return RuleResult::Fail(failure->first, std::move(failure->second));
      }
    }
    const auto& leaf = context.leaf.info();
    return RuleResult::Pass(absl::StrCat(leaf.key_algorithm, " ", leaf.key_bits, " bits",
                                         leaf.key_curve.empty() ? "" : " " + leaf.key_curve));
  }

 private:
  KeyLimits limits_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileKeyRule(const v1::KeyRules& rules) {
  KeyLimits limits;
  limits.min_rsa_bits = rules.min_rsa_bits() ? rules.min_rsa_bits() : kDefaultMinRsaBits;
  limits.max_rsa_bits = rules.max_rsa_bits() ? rules.max_rsa_bits() : kDefaultMaxRsaBits;
  if (limits.min_rsa_bits > limits.max_rsa_bits) {
    return absl::InvalidArgumentError("key_rules: min_rsa_bits is above max_rsa_bits");
  }
  if (limits.max_rsa_bits > 16384) {
    return absl::InvalidArgumentError("key_rules.max_rsa_bits: at most 16384");
  }
  for (const std::string& c : rules.allowed_curves()) limits.curves.push_back(absl::AsciiStrToLower(c));
  if (limits.curves.empty()) limits.curves.assign(std::begin(kDefaultCurves), std::end(kDefaultCurves));
  for (const std::string& a : rules.allowed_key_algorithms()) limits.algorithms.push_back(absl::AsciiStrToUpper(a));
  if (limits.algorithms.empty()) {
    limits.algorithms.assign(std::begin(kDefaultKeyAlgorithms), std::end(kDefaultKeyAlgorithms));
  }
  return std::make_unique<KeyRule>(std::move(limits));
}

}  // namespace certguard::policy
