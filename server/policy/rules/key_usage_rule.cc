#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/check_names.h"
#include "server/policy/rules/predicate_rule.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {
namespace {

constexpr std::pair<const char*, uint32_t> kBits[] = {
    {"digitalSignature", x509::kDigitalSignature},
    {"nonRepudiation", x509::kNonRepudiation},
    {"keyEncipherment", x509::kKeyEncipherment},
    {"dataEncipherment", x509::kDataEncipherment},
    {"keyAgreement", x509::kKeyAgreement},
    {"keyCertSign", x509::kKeyCertSign},
    {"cRLSign", x509::kCrlSign},
    {"encipherOnly", x509::kEncipherOnly},
    {"decipherOnly", x509::kDecipherOnly},
};

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileKeyUsageRule(const v1::KeyUsage& key_usage) {
  if (key_usage.required().empty()) return nullptr;
  uint32_t required = 0;
  for (const std::string& name : key_usage.required()) {
    bool found = false;
    for (const auto& [n, bit] : kBits) {
      if (name == n) {
        required |= bit;
        found = true;
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrCat("key_usage.required: unknown key usage \"", name,
                       "\" (digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, "
                       "keyCertSign, cRLSign, encipherOnly, decipherOnly)"));
    }
  }
  std::string wanted = absl::StrJoin(key_usage.required(), ", ");
  return MakeRule(std::string(checks::kKeyUsage), v1::KEY_USAGE_MISMATCH, absl::StrCat("key usage has ", wanted),
                  [required, wanted](const RuleContext& c) -> std::optional<std::string> {
                    const auto& info = c.leaf.info();
                    if (!info.has_key_usage) return absl::StrCat("the leaf has no key usage; required ", wanted);
                    if ((info.key_usage & required) == required) return std::nullopt;
                    return absl::StrCat("key usage lacks some of [", wanted, "]");
                  });
}

}  // namespace certguard::policy
