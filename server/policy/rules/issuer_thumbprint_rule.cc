// issuer_thumbprints: the verified issuer's SHA-1 or SHA-256 thumbprint is listed.
#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

namespace {

// The certificate that issued the leaf in the verified path (the leaf itself when it is
// self-signed and alone), or nullptr when the path is not verified.
const x509::Certificate* VerifiedIssuer(const RuleContext& ctx) {
  if (ctx.path.size() >= 2) return ctx.path[1].get();
  if (ctx.path.size() == 1) return ctx.path[0].get();
  return nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileIssuerThumbprintRule(const v1::IdentityMatcher& m) {
  if (m.issuer_thumbprints().empty()) return nullptr;
  auto set = FingerprintsOf(m.issuer_thumbprints(), {40, 64});
  if (!set.ok()) return IdentityFieldError("issuer_thumbprints", set.status());
  return MakeRule(std::string(checks::kIssuerThumbprint), v1::ISSUER_MISMATCH, "issuer thumbprint is pinned",
                  [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
                    const x509::Certificate* issuer = VerifiedIssuer(c);
                    if (issuer == nullptr) return "the issuer is unknown because the chain did not verify";
                    const auto& i = issuer->info();
                    if (set.Contains(i.sha1_hex) || set.Contains(i.sha256_hex)) return std::nullopt;
                    return absl::StrCat("issuer thumbprint ", i.sha1_hex, " is not in the allowed list");
                  });
}

}  // namespace certguard::policy
