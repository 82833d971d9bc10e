#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/check_names.h"
#include "server/policy/rules/predicate_rule.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {

// An entry matches a certificate when it equals (case-insensitively) the signature algorithm's
// long name ("sha256WithRSAEncryption"), its digest ("sha256") or, for digest-less
// algorithms such as Ed25519, the algorithm's name ("ED25519").
absl::StatusOr<std::unique_ptr<const Rule>> CompileSignatureAlgorithmRule(const v1::KeyRules& rules) {
  std::vector<std::string> allowed;
  for (const std::string& a : rules.allowed_signature_algorithms()) allowed.push_back(absl::AsciiStrToLower(a));
  if (allowed.empty()) {
    for (const char* a : kDefaultSignatureAlgorithms) allowed.push_back(absl::AsciiStrToLower(a));
  }
  std::string wanted = absl::StrJoin(allowed, ", ");
  return MakeRule(std::string(checks::kSignatureAlgorithm), v1::SIGNATURE_ALGORITHM_NOT_ALLOWED,
                  absl::StrCat("signature algorithms within [", wanted, "]"),
                  [allowed, wanted](const RuleContext& c) -> std::optional<std::string> {
                    // The leaf and the verified issuers below the anchor: their signatures are what the
                    // path relies on. An anchor's self-signature is not, nor is an unused forwarded extra.
                    std::span<const x509::CertificatePtr> signed_by_path =
                        c.path.size() >= 2 ? c.path.first(c.path.size() - 1) : c.presented.first(1);
                    for (size_t d = 0; d < signed_by_path.size(); ++d) {
                      const auto& i = signed_by_path[d]->info();
                      const std::string name = absl::AsciiStrToLower(i.signature_algorithm);
                      const std::string digest = absl::AsciiStrToLower(i.signature_digest);
                      bool ok = false;
                      for (const std::string& a : allowed) {
                        if (a == name || (!digest.empty() && a == digest)) {
                          ok = true;
                          break;
                        }
                      }
                      if (!ok) {
                        return absl::StrCat(d == 0 ? "leaf" : absl::StrCat("chain certificate ", d),
                                            ": signature algorithm ", i.signature_algorithm, " is not in [", wanted,
                                            "]");
                      }
                    }
                    return std::nullopt;
                  });
}

}  // namespace certguard::policy
