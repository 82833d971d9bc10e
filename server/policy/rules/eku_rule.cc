#include <openssl/objects.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/common/utf8.h"
#include "server/policy/check_names.h"
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

constexpr absl::string_view kAnyExtendedKeyUsage = "2.5.29.37.0";

bool AllowsAny(const std::vector<std::string>& have, const std::vector<std::string>& wanted) {
  for (const std::string& h : have) {
    for (const std::string& w : wanted) {
      if (h == w) return true;
    }
  }
  return false;
}

// The required purposes of an enabled `eku` section: display names and dotted OIDs.
struct Purposes {
  std::vector<std::string> oids;
  std::string wanted;  // for messages
};

absl::StatusOr<Purposes> CompilePurposes(const v1::ExtendedKeyUsage& eku) {
  std::vector<std::string> names(eku.allowed().begin(), eku.allowed().end());
  if (names.empty()) names.push_back("clientAuth");
  Purposes out;
  for (const std::string& n : names) {
    std::string oid = ToOid(n);
    if (oid.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("extended_key_usage.allowed: \"", n, "\" is neither an OID nor a known EKU name"));
    }
    out.oids.push_back(oid);
  }
  out.wanted = absl::StrJoin(names, ", ");
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Rule>> CompileCaEkuRule(const v1::ExtendedKeyUsage& eku) {
  if (eku.has_check() && !eku.check()) return nullptr;
  ASSIGN_OR_RETURN(Purposes purposes, CompilePurposes(eku));
  std::vector<std::string> oids = purposes.oids;
  oids.emplace_back(kAnyExtendedKeyUsage);
  return MakeRule(std::string(checks::kCaEku), v1::CA_EKU_MISMATCH,
                  absl::StrCat("no CA in the path restricts extended key usage away from ", purposes.wanted),
                  [oids, wanted = purposes.wanted](const RuleContext& c) -> std::optional<std::string> {
                    // path[0] is the leaf (the "eku" rule); the anchor only when its constraints apply.
                    size_t end = c.path.size();
                    if (!c.enforce_anchor_constraints && end > 1) --end;
                    for (size_t i = 1; i < end; ++i) {
                      const auto& info = c.path[i]->info();
                      if (!info.has_eku || AllowsAny(info.eku_oids, oids)) continue;
                      return absl::StrCat("CA certificate ", i, " of the path (",
                                          common::Utf8Prefix(info.subject_dn, 256), ") has extended key usage [",
                                          absl::StrJoin(info.eku_oids, ", "), "] without any of [", wanted,
                                          "] or anyExtendedKeyUsage");
                    }
                    return std::nullopt;
                  });
}

absl::StatusOr<std::unique_ptr<const Rule>> CompileEkuRule(const v1::ExtendedKeyUsage& eku) {
  if (eku.has_check() && !eku.check()) return nullptr;
  ASSIGN_OR_RETURN(Purposes purposes, CompilePurposes(eku));
  std::vector<std::string> oids = std::move(purposes.oids);
  const bool allow_missing = eku.allow_missing();
  std::string wanted = std::move(purposes.wanted);
  return MakeRule(std::string(checks::kEku), v1::EKU_MISMATCH, absl::StrCat("extended key usage allows ", wanted),
                  [oids, allow_missing, wanted](const RuleContext& c) -> std::optional<std::string> {
                    const auto& info = c.leaf.info();
                    if (!info.has_eku) {
                      if (allow_missing) return std::nullopt;
                      return absl::StrCat("the leaf has no extended key usage; required one of [", wanted, "]");
                    }
                    if (AllowsAny(info.eku_oids, oids)) return std::nullopt;
                    return absl::StrCat("extended key usage [", absl::StrJoin(info.eku_oids, ", "), "] has none of [",
                                        wanted, "]");
                  });
}

}  // namespace certguard::policy
