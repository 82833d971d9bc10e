#include "server/policy/rules/identity_rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/matchers/glob.h"
#include "server/policy/matchers/name_matcher.h"
#include "server/policy/matchers/san_matcher.h"
#include "server/policy/matchers/spiffe_id.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {
namespace {

absl::Status FieldError(absl::string_view field, const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", status.message()));
}

// The certificate that issued the leaf in the verified path (the leaf itself when it is
// self-signed and alone), or nullptr when the path is not verified.
const x509::Certificate* VerifiedIssuer(const RuleContext& ctx) {
  if (ctx.path.size() >= 2) return ctx.path[1].get();
  if (ctx.path.size() == 1) return ctx.path[0].get();
  return nullptr;
}

}  // namespace

std::string SpiffeUriOf(const x509::CertificateInfo& info) {
  if (info.sans.uri.size() != 1) return {};
  const std::string& uri = info.sans.uri[0];
  return absl::StartsWithIgnoreCase(uri, "spiffe://") ? uri : std::string();
}

std::string SpiffeIdOf(const x509::CertificateInfo& info) {
  std::string uri = SpiffeUriOf(info);
  return ParseSpiffeId(uri).ok() ? uri : std::string();
}

absl::StatusOr<RuleList> CompileIdentityMatcher(const v1::IdentityMatcher& m) {
  RuleList rules;
  auto fingerprints = [](const auto& field, std::vector<size_t> lengths, bool strip = false) {
    return FingerprintSet::Create({field.begin(), field.end()}, std::move(lengths), strip);
  };

  if (!m.thumbprints().empty()) {
    auto set = fingerprints(m.thumbprints(), {40, 64});
    if (!set.ok()) return FieldError("thumbprints", set.status());
    rules.push_back(MakeRule(std::string(checks::kThumbprint), v1::THUMBPRINT_NOT_ALLOWED, "leaf thumbprint is pinned",
        [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
          const auto& i = c.leaf.info();
          if (set.Contains(i.sha1_hex) || set.Contains(i.sha256_hex)) return std::nullopt;
          return absl::StrCat("thumbprint ", i.sha1_hex, " (SHA-1) / ", i.sha256_hex,
                              " (SHA-256) is not in the allowed list");
        }));
  }
  if (!m.certificate_sha256().empty()) {
    auto set = fingerprints(m.certificate_sha256(), {64});
    if (!set.ok()) return FieldError("certificate_sha256", set.status());
    rules.push_back(MakeRule(std::string(checks::kCertificateSha256), v1::THUMBPRINT_NOT_ALLOWED,
        "leaf SHA-256 is pinned",
        [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
          if (set.Contains(c.leaf.info().sha256_hex)) return std::nullopt;
          return absl::StrCat("SHA-256 ", c.leaf.info().sha256_hex, " is not pinned");
        }));
  }
  if (m.has_subject()) {
    NameMatcher matcher(m.subject());
    if (!matcher.empty()) {
      rules.push_back(MakeRule(std::string(checks::kSubject), v1::SUBJECT_MISMATCH, "subject matches",
          [matcher](const RuleContext& c) {
            const auto& i = c.leaf.info();
            return matcher.Mismatch({i.subject_dn, i.subject_cn, i.subject_o, i.subject_ou});
          }));
    }
  }
  if (m.has_issuer()) {
    NameMatcher matcher(m.issuer());
    if (!matcher.empty()) {
      rules.push_back(MakeRule(std::string(checks::kIssuer), v1::ISSUER_MISMATCH, "issuer matches",
          [matcher](const RuleContext& c) {
            const auto& i = c.leaf.info();
            return matcher.Mismatch({i.issuer_dn, i.issuer_cn, i.issuer_o, i.issuer_ou});
          }));
    }
  }
  if (!m.issuer_thumbprints().empty()) {
    auto set = fingerprints(m.issuer_thumbprints(), {40, 64});
    if (!set.ok()) return FieldError("issuer_thumbprints", set.status());
    rules.push_back(MakeRule(std::string(checks::kIssuerThumbprint), v1::ISSUER_MISMATCH, "issuer thumbprint is pinned",
        [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
          const x509::Certificate* issuer = VerifiedIssuer(c);
          if (issuer == nullptr) return "the issuer is unknown because the chain did not verify";
          const auto& i = issuer->info();
          if (set.Contains(i.sha1_hex) || set.Contains(i.sha256_hex)) return std::nullopt;
          return absl::StrCat("issuer thumbprint ", i.sha1_hex, " is not in the allowed list");
        }));
  }
  if (!m.san().empty()) {
    std::vector<SanMatcher> matchers;
    for (int k = 0; k < m.san_size(); ++k) {
      auto sm = SanMatcher::Create(m.san(k));
      if (!sm.ok()) return FieldError(absl::StrCat("san[", k, "]"), sm.status());
      matchers.push_back(*std::move(sm));
    }
    rules.push_back(MakeRule(std::string(checks::kSan), v1::SAN_MISMATCH, "a subject alternative name matches",
        [matchers = std::move(matchers)](const RuleContext& c) -> std::optional<std::string> {
          for (const SanMatcher& sm : matchers) {
            if (sm.Matches(c.leaf.info().sans)) return std::nullopt;
          }
          std::vector<std::string> wanted, unparsable;
          for (const SanMatcher& sm : matchers) {
            wanted.push_back(sm.ToString());
            if (std::string why = sm.DescribeUnparsable(c.leaf.info().sans); !why.empty()) {
              unparsable.push_back(std::move(why));
            }
          }
          std::string detail = absl::StrCat("no subject alternative name matches any of [",
                                            absl::StrJoin(wanted, "; "), "]");
          if (!unparsable.empty()) absl::StrAppend(&detail, " (", absl::StrJoin(unparsable, "; "), ")");
          return detail;
        }));
  }
  if (!m.spki_sha256().empty()) {
    std::vector<std::string> pins(m.spki_sha256().begin(), m.spki_sha256().end());
    for (const std::string& pin : pins) {
      if (pin.size() != 44 || pin.back() != '=') {
        return absl::InvalidArgumentError(absl::StrCat(
            "spki_sha256: \"", pin, "\" is not a base64 SHA-256 (44 characters ending in '=')"));
      }
    }
    rules.push_back(MakeRule(std::string(checks::kSpkiPin), v1::SPKI_PIN_MISMATCH, "public key is pinned",
        [pins = std::move(pins)](const RuleContext& c) -> std::optional<std::string> {
          for (const std::string& p : pins) {
            if (p == c.leaf.info().spki_sha256_base64) return std::nullopt;
          }
          return absl::StrCat("SPKI SHA-256 ", c.leaf.info().spki_sha256_base64, " is not pinned");
        }));
  }
  if (!m.serial_numbers().empty()) {
    auto set = fingerprints(m.serial_numbers(), {}, /*strip=*/true);
    if (!set.ok()) return FieldError("serial_numbers", set.status());
    rules.push_back(MakeRule(std::string(checks::kSerial), v1::SERIAL_NOT_ALLOWED, "serial number is allowed",
        [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
          auto serial = NormalizeHex(c.leaf.info().serial_hex, /*strip_leading_zeros=*/true);
          if (serial.ok() && set.Contains(*serial)) return std::nullopt;
          return absl::StrCat("serial ", c.leaf.info().serial_hex, " is not in the allowed list");
        }));
  }
  if (!m.spiffe_ids().empty()) {
    std::vector<std::string> patterns(m.spiffe_ids().begin(), m.spiffe_ids().end());
    for (const std::string& p : patterns) {
      if (absl::Status s = ParseSpiffeId(GlobExample(p)).status(); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("spiffe_ids: \"", p, "\" can match no valid SPIFFE ID: ", s.message()));
      }
    }
    rules.push_back(MakeRule(std::string(checks::kSpiffeId), v1::SPIFFE_ID_MISMATCH, "SPIFFE ID is allowed",
        [patterns = std::move(patterns)](const RuleContext& c) -> std::optional<std::string> {
          const std::string uri = SpiffeUriOf(c.leaf.info());
          if (uri.empty()) return "the leaf has no SPIFFE ID (exactly one spiffe:// URI SAN)";
          if (absl::Status s = ParseSpiffeId(uri).status(); !s.ok()) {
            return InvalidSpiffeIdDetail(uri, s);
          }
          for (const std::string& p : patterns) {
            if (GlobMatch(p, uri)) return std::nullopt;
          }
          return absl::StrCat("SPIFFE ID ", uri, " is not allowed");
        }));
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
      return absl::InvalidArgumentError(
          absl::StrCat("identities[", a, "]: an identity needs at least one condition"));
    }
    compiled.push_back(*std::move(rules));
    names.push_back(alternatives[a].name().empty() ? absl::StrCat("#", a) : alternatives[a].name());
  }
  return std::make_unique<AlternativesRule>(std::move(compiled), std::move(names));
}

}  // namespace certguard::policy
