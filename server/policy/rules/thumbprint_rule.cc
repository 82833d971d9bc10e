// thumbprints: the leaf's SHA-1 or SHA-256 thumbprint is listed.
#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileThumbprintRule(const v1::IdentityMatcher& m) {
  if (m.thumbprints().empty()) return nullptr;
  auto set = FingerprintsOf(m.thumbprints(), {40, 64});
  if (!set.ok()) return IdentityFieldError("thumbprints", set.status());
  return MakeRule(std::string(checks::kThumbprint), v1::THUMBPRINT_NOT_ALLOWED, "leaf thumbprint is pinned",
                  [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
                    const auto& i = c.leaf.info();
                    if (set.Contains(i.sha1_hex) || set.Contains(i.sha256_hex)) return std::nullopt;
                    return absl::StrCat("thumbprint ", i.sha1_hex, " (SHA-1) / ", i.sha256_hex,
                                        " (SHA-256) is not in the allowed list");
                  });
}

}  // namespace certguard::policy
