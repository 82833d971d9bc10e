#include "server/policy/rules/identity_rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/spiffe_id.h"

namespace certguard::policy {
std::string SpiffeUriOf(const x509::CertificateInfo& info) {
  if (info.sans.uri.size() != 1) return {};
  const std::string& uri = info.sans.uri[0];
  return absl::StartsWithIgnoreCase(uri, "spiffe://") ? uri : std::string();
}

std::string SpiffeIdOf(const x509::CertificateInfo& info) {
  std::string uri = SpiffeUriOf(info);
  return ParseSpiffeId(uri).ok() ? uri : std::string();
}

absl::Status IdentityFieldError(absl::string_view field, const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", status.message()));
}

absl::StatusOr<FingerprintSet> FingerprintsOf(const google::protobuf::RepeatedPtrField<std::string>& field,
                                              std::vector<size_t> lengths, bool strip) {
  return FingerprintSet::Create({field.begin(), field.end()}, std::move(lengths), strip);
}

absl::StatusOr<RuleList> CompileIdentityMatcher(const v1::IdentityMatcher& m) {
  // In the order their checks appear in a response.
  using Compile = absl::StatusOr<std::unique_ptr<const Rule>> (*)(const v1::IdentityMatcher&);
  constexpr Compile kCompilers[] = {
      CompileThumbprintRule,       CompileCertificateSha256Rule,
      CompileSubjectRule,          CompileIssuerRule,
      CompileIssuerThumbprintRule, CompileSanRule,
      CompileSpkiPinRule,          CompileSerialRule,
      CompileSpiffeIdRule,
  };
  RuleList rules;
  for (Compile compile : kCompilers) {
    ASSIGN_OR_RETURN(std::unique_ptr<const Rule> rule, compile(m));
    if (rule != nullptr) rules.push_back(std::move(rule));
  }
  return rules;
}

namespace {

class AlternativesRule final : public Rule {
 public:
  AlternativesRule(std::vector<RuleList> alternatives, std::vector<std::string> names)
      : alternatives_(std::move(alternatives)), names_(std::move(names)) {}
  absl::string_view name() const override { return checks::kIdentities; }
  RuleResult Check(const RuleContext& context) const override {
    std::vector<std::string> failures;
    for (size_t a = 0; a < alternatives_.size(); ++a) {
      std::string failure;
      for (const auto& rule : alternatives_[a]) {
        RuleResult r = rule->Check(context);
        if (!r.passed) {
          failure = absl::StrCat(names_[a], ": ", r.detail);
          break;
        }
      }
      if (failure.empty()) return RuleResult::Pass(absl::StrCat("matched identity ", names_[a]));
      failures.push_back(std::move(failure));
    }
    return RuleResult::Fail(v1::IDENTITY_MISMATCH,
                            absl::StrCat("no identity matched (", absl::StrJoin(failures, "; "), ")"));
  }

 private:
  std::vector<RuleList> alternatives_;
  std::vector<std::string> names_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileIdentityAlternatives(
    const google::protobuf::RepeatedPtrField<v1::IdentityMatcher>& alternatives) {
  std::vector<RuleList> compiled;
  std::vector<std::string> names;
  for (int a = 0; a < alternatives.size(); ++a) {
    auto rules = CompileIdentityMatcher(alternatives[a]);
    if (!rules.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("identities[", a, "].", rules.status().message()));
    }
    if (rules->empty()) {
      return absl::InvalidArgumentError(absl::StrCat("identities[", a, "]: an identity needs at least one condition"));
    }
    compiled.push_back(*std::move(rules));
    names.push_back(alternatives[a].name().empty() ? absl::StrCat("#", a) : alternatives[a].name());
  }
  return std::make_unique<AlternativesRule>(std::move(compiled), std::move(names));
}

}  // namespace certguard::policy
