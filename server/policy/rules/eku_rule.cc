#include <openssl/objects.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/policy/rules/predicate_rule.h"
#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {
namespace {

// Accepts a dotted OID or a short/long OpenSSL name ("clientAuth", "TLS Web Client
// Authentication") and returns the dotted OID.
std::string ToOid(const std::string& name) {
  ASN1_OBJECT* obj = OBJ_txt2obj(name.c_str(), /*no_name=*/0);
  if (obj == nullptr) return {};
  char buf[128];
  int len = OBJ_obj2txt(buf, sizeof(buf), obj, /*no_name=*/1);
  ASN1_OBJECT_free(obj);
  return len > 0 && static_cast<size_t>(len) < sizeof(buf) ? std::string(buf, len) : std::string();
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileEkuRule(const v1::ExtendedKeyUsage& eku) {
  if (eku.has_check() && !eku.check()) return nullptr;
  std::vector<std::string> names(eku.allowed().begin(), eku.allowed().end());
  if (names.empty()) names.push_back("clientAuth");
  std::vector<std::string> oids;
  for (const std::string& n : names) {
    std::string oid = ToOid(n);
    if (oid.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "extended_key_usage.allowed: \"", n, "\" is neither an OID nor a known EKU name"));
    }
    oids.push_back(oid);
  }
  const bool allow_missing = eku.allow_missing();
  std::string wanted = absl::StrJoin(names, ", ");
  return MakeRule("eku", v1::EKU_MISMATCH, absl::StrCat("extended key usage allows ", wanted),
      [oids, allow_missing, wanted](const RuleContext& c) -> std::optional<std::string> {
        const auto& info = c.leaf.info();
        if (!info.has_eku) {
          if (allow_missing) return std::nullopt;
          return absl::StrCat("the leaf has no extended key usage; required one of [", wanted, "]");
        }
        for (const std::string& have : info.eku_oids) {
          for (const std::string& want : oids) {
            if (have == want) return std::nullopt;
          }
        }
        return absl::StrCat("extended key usage [", absl::StrJoin(info.eku_oids, ", "),
                            "] has none of [", wanted, "]");
      });
}

}  // namespace certguard::policy
