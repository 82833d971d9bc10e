#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/matchers/glob.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {
namespace {

// X.509-SVID rules (SPIFFE X509-SVID spec §4-5) plus the policy's trust domains and paths.
class SpiffeRule final : public Rule {
 public:
  SpiffeRule(std::vector<std::string> domains, std::vector<std::string> paths)
      : domains_(std::move(domains)), paths_(std::move(paths)) {}
  absl::string_view name() const override { return "spiffe"; }

  RuleResult Check(const RuleContext& context) const override {
    const auto& info = context.leaf.info();
    if (info.sans.uri.size() != 1) {
      return RuleResult::Fail(v1::SPIFFE_SVID_INVALID,
                              absl::StrCat("an X.509-SVID has exactly one URI SAN; the leaf has ",
                                           info.sans.uri.size()));
    }
    std::string id = SpiffeIdOf(info);
    if (id.empty()) return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, "the URI SAN is not a spiffe:// ID");
    if (info.is_ca) return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, "a leaf SVID must not be a CA");
    if (info.has_key_usage && (info.key_usage & (x509::kKeyCertSign | x509::kCrlSign))) {
      return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, "a leaf SVID must not have keyCertSign or cRLSign");
    }
    absl::string_view rest = absl::string_view(id).substr(9);  // after "spiffe://"
    size_t slash = rest.find('/');
    std::string domain = absl::AsciiStrToLower(rest.substr(0, slash));
    std::string path = slash == absl::string_view::npos ? "" : std::string(rest.substr(slash));
    if (domain.empty() || absl::StrContains(id, "?") || absl::StrContains(id, "#") ||
        absl::StrContains(domain, "@") || absl::StrContains(domain, ":") ||
        absl::StrContains(path, "//") || absl::EndsWith(path, "/") ||
        absl::StrContains(path, "/./") || absl::StrContains(path, "/../") ||
        absl::EndsWith(path, "/.") || absl::EndsWith(path, "/..")) {
      return RuleResult::Fail(v1::SPIFFE_SVID_INVALID, absl::StrCat("\"", id, "\" is not a valid SPIFFE ID"));
    }
    if (std::find(domains_.begin(), domains_.end(), domain) == domains_.end()) {
      return RuleResult::Fail(v1::SPIFFE_ID_MISMATCH,
                              absl::StrCat("trust domain ", domain, " is not in [",
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
    if (domain.empty() || absl::StrContains(domain, "/")) {
      return absl::InvalidArgumentError(absl::StrCat("spiffe.trust_domains: \"", d, "\" is not a trust domain"));
    }
    domains.push_back(domain);
  }
  std::vector<std::string> paths;
  for (const std::string& p : spiffe.path_patterns()) {
    if (!absl::StartsWith(p, "/")) {
      return absl::InvalidArgumentError(absl::StrCat("spiffe.path_patterns: \"", p, "\" must start with /"));
    }
    paths.push_back(p);
  }
  return std::make_unique<SpiffeRule>(std::move(domains), std::move(paths));
}

}  // namespace certguard::policy
