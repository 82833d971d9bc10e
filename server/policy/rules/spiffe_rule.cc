#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/glob.h"
#include "server/policy/matchers/spiffe_id.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {
namespace {

// X.509-SVID rules (SPIFFE X509-SVID spec §4-5) plus the policy's trust domains and paths.
class SpiffeRule final : public Rule {
 public:
  SpiffeRule(std::vector<std::string> domains, std::vector<std::string> paths)
      : domains_(std::move(domains)), paths_(std::move(paths)) {}
  absl::string_view name() const override { return checks::kSpiffe; }

  RuleResult Check(const RuleContext& context) const override {
    const auto& info = context.leaf.info();
    if (info.sans.uri.size() != 1) {
      return RuleResult::Fail(
          v1::SPIFFE_SVID_INVALID,
          absl::StrCat("an X.509-SVID has exactly one URI SAN; the leaf has ", info.sans.uri.size()));
    }
    const std::string id = SpiffeUriOf(info);
    if (id.empty()) return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, "the URI SAN is not a spiffe:// ID");
    if (info.is_ca) return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, "a leaf SVID must not be a CA");
    if (info.has_key_usage && (info.key_usage & (x509::kKeyCertSign | x509::kCrlSign))) {
      return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, "a leaf SVID must not have keyCertSign or cRLSign");
    }
    absl::StatusOr<SpiffeId> parsed = ParseSpiffeId(id);
    if (!parsed.ok()) {
      return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, InvalidSpiffeIdDetail(id, parsed.status()));
    }
    const std::string& domain = parsed->trust_domain;
    const std::string& path = parsed->path;
    if (std::find(domains_.begin(), domains_.end(), domain) == domains_.end()) {
      return RuleResult::Fail(v1::SPIFFE_ID_MISMATCH, absl::StrCat("trust domain ", domain, " is not in [",
                                                                   absl::StrJoin(domains_, ", "), "]"));
    }
    if (!paths_.empty()) {
      bool matched = false;
      for (const std::string& p : paths_) matched = matched || GlobMatch(p, path);
      if (!matched) {
        return RuleResult::Fail(v1::SPIFFE_ID_MISMATCH,
                                absl::StrCat("path ", path, " matches none of [", absl::StrJoin(paths_, ", "), "]"));
      }
    }
    return RuleResult::Pass(absl::StrCat("valid X.509-SVID ", id));
  }

 private:
  std::vector<std::string> domains_;
  std::vector<std::string> paths_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileSpiffeRule(const v1::SpiffeRules& spiffe) {
  if (spiffe.trust_domains().empty()) {
    if (!spiffe.path_patterns().empty()) {
      return absl::InvalidArgumentError("spiffe.path_patterns: needs spiffe.trust_domains");
    }
    return nullptr;
  }
  std::vector<std::string> domains;
  for (const std::string& d : spiffe.trust_domains()) {
    std::string domain = absl::AsciiStrToLower(d);
    if (absl::StartsWith(domain, "spiffe://")) domain = domain.substr(9);
    if (absl::Status s = ValidateTrustDomain(domain); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("spiffe.trust_domains: \"", d, "\" is not a trust domain: ", s.message()));
    }
    domains.push_back(domain);
  }
  std::vector<std::string> paths;
  for (const std::string& p : spiffe.path_patterns()) {
    if (p.empty() || p[0] != '/') {
      return absl::InvalidArgumentError(absl::StrCat("spiffe.path_patterns: \"", p, "\" must start with /"));
    }
    if (absl::Status s = ValidateSpiffePath(GlobExample(p)); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("spiffe.path_patterns: \"", p, "\" can match no valid SPIFFE path: ", s.message()));
    }
    paths.push_back(p);
  }
  return std::make_unique<SpiffeRule>(std::move(domains), std::move(paths));
}

}  // namespace certguard::policy
