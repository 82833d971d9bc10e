#include <optional>

#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/rules/rule_factories.h"
#include "server/x509/strict_checks.h"

namespace certguard::policy {
namespace {

v1::Reason ReasonFor(x509::StrictFinding::Kind kind) {
  switch (kind) {
    case x509::StrictFinding::Kind::kKeyAlgorithm:
      return v1::KEY_ALGORITHM_NOT_ALLOWED;
    case x509::StrictFinding::Kind::kKeyTooSmall:
      return v1::KEY_TOO_SMALL;
    case x509::StrictFinding::Kind::kCurve:
      return v1::CURVE_NOT_ALLOWED;
    case x509::StrictFinding::Kind::kSignatureAlgorithm:
      return v1::SIGNATURE_ALGORITHM_NOT_ALLOWED;
    case x509::StrictFinding::Kind::kNameConstraints:
      return v1::NAME_CONSTRAINTS_VIOLATED;
    case x509::StrictFinding::Kind::kProfile:
      break;
  }
  return v1::STRICT_PROFILE_VIOLATION;
}

std::string Where(size_t depth, size_t path_size) {
  if (depth == 0) return "leaf";
  if (depth + 1 == path_size) return absl::StrCat("anchor (depth ", depth, ")");
  return absl::StrCat("intermediate at depth ", depth);
}

RuleResult Fail(const x509::StrictFinding& f, size_t depth, size_t path_size) {
  return RuleResult::Fail(ReasonFor(f.kind), absl::StrCat(Where(depth, path_size), ": ", f.detail));
}

// Checks OpenSSL's path validation does not make, on the leaf and every certificate of the
// verified path (see server/x509/strict_checks.h for the list). Each refusal carries a reason
// code: LEAF_IS_CA, CERTIFICATE_VERSION_INVALID, KEY_ALGORITHM_NOT_ALLOWED, KEY_TOO_SMALL,
// CURVE_NOT_ALLOWED,
// SIGNATURE_ALGORITHM_NOT_ALLOWED, NAME_CONSTRAINTS_VIOLATED or STRICT_PROFILE_VIOLATION.
class StrictProfileRule final : public Rule {
 public:
  absl::string_view name() const override { return checks::kStrictProfile; }
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
    const size_t n = context.path.size();
    for (size_t d = 1; d < n; ++d) {
      const auto& ca = context.path[d]->info();
      if (ca.version != 3) {
        return RuleResult::Fail(v1::CERTIFICATE_VERSION_INVALID,
                                absl::StrCat("issuer at depth ", d, " is an X.509 v", ca.version, " certificate"));
      }
    }
    // A path of one certificate is a leaf that is itself the anchor (a pinned self-signed
    // client certificate): it is still checked as a leaf.
    if (auto f = x509::CheckCertificateProfile(context.leaf, x509::PathRole::kLeaf)) {
      return Fail(*f, 0, n);
    }
    for (size_t d = 1; d < n; ++d) {
      const x509::Certificate& cert = *context.path[d];
      const auto role = d + 1 == n ? x509::PathRole::kAnchor : x509::PathRole::kIntermediate;
      if (auto f = x509::CheckCertificateProfile(cert, role)) return Fail(*f, d, n);
      const bool eku_applies = role != x509::PathRole::kAnchor || context.enforce_anchor_constraints;
      if (auto f = x509::CheckIssuerLink(*context.path[d - 1], cert, context.leaf, eku_applies)) {
        return Fail(*f, d - 1, n);
      }
      if (auto f = x509::CheckWildcardAgainstExclusions(context.leaf, cert)) return Fail(*f, d, n);
    }
    return RuleResult::Pass(n > 0 ? "RFC 5280 profile holds for the leaf and the verified path"
                                  : "RFC 5280 profile holds for the leaf");
  }
};

}  // namespace

std::unique_ptr<const Rule> MakeStrictProfileRule(const v1::StrictProfile& strict) {
  if (strict.has_enabled() && !strict.enabled()) return nullptr;
  return std::make_unique<StrictProfileRule>();
}

}  // namespace certguard::policy
