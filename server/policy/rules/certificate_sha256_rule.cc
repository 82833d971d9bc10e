// certificate_sha256: the leaf's SHA-256 is listed (Envoy's verify_certificate_hash).
#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileCertificateSha256Rule(const v1::IdentityMatcher& m) {
  if (m.certificate_sha256().empty()) return nullptr;
  auto set = FingerprintsOf(m.certificate_sha256(), {64});
  if (!set.ok()) return IdentityFieldError("certificate_sha256", set.status());
  return MakeRule(std::string(checks::kCertificateSha256), v1::THUMBPRINT_NOT_ALLOWED, "leaf SHA-256 is pinned",
                  [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
                    if (set.Contains(c.leaf.info().sha256_hex)) return std::nullopt;
                    return absl::StrCat("SHA-256 ", c.leaf.info().sha256_hex, " is not pinned");
                  });
}

}  // namespace certguard::policy
