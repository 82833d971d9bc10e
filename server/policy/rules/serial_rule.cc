// serial_numbers: the leaf's serial number is listed.
#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/predicate_rule.h"

namespace certguard::policy {

absl::StatusOr<std::unique_ptr<const Rule>> CompileSerialRule(const v1::IdentityMatcher& m) {
  if (m.serial_numbers().empty()) return nullptr;
  auto set = FingerprintsOf(m.serial_numbers(), {}, /*strip=*/true);
  if (!set.ok()) return IdentityFieldError("serial_numbers", set.status());
  return MakeRule(std::string(checks::kSerial), v1::SERIAL_NOT_ALLOWED, "serial number is allowed",
                  [set = *std::move(set)](const RuleContext& c) -> std::optional<std::string> {
                    auto serial = NormalizeHex(c.leaf.info().serial_hex, /*strip_leading_zeros=*/true);
                    if (serial.ok() && set.Contains(*serial)) return std::nullopt;
                    return absl::StrCat("serial ", c.leaf.info().serial_hex, " is not in the allowed list");
                  });
}

}  // namespace certguard::policy
