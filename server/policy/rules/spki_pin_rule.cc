// spki_sha256: the base64 SHA-256 of the leaf's public key is listed (Envoy's verify_certificate_spki).
#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileSpkiPinRule(const v1::IdentityMatcher& m) {
  if (m.spki_sha256().empty()) return nullptr;
  std::vector<std::string> pins(m.spki_sha256().begin(), m.spki_sha256().end());
  for (const std::string& pin : pins) {
    if (pin.size() != 44 || pin.back() != '=') {
      return absl::InvalidArgumentError(
          absl::StrCat("spki_sha256: \"", pin, "\" is not a base64 SHA-256 (44 characters ending in '=')"));
    }
  }
  return MakeRule(std::string(checks::kSpkiPin), v1::SPKI_PIN_MISMATCH, "public key is pinned",
                  [pins = std::move(pins)](const RuleContext& c) -> std::optional<std::string> {
                    for (const std::string& p : pins) {
                      if (p == c.leaf.info().spki_sha256_base64) return std::nullopt;
                    }
                    return absl::StrCat("SPKI SHA-256 ", c.leaf.info().spki_sha256_base64, " is not pinned");
                  });
}

}  // namespace certguard::policy
