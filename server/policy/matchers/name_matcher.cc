#include "server/policy/matchers/name_matcher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace certguard::policy {
namespace {

bool AnyEqual(const std::vector<std::string>& allowed, const std::vector<std::string>& values) {
  for (const std::string& v : values) {
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return true;
  }
  return false;
}

std::string Describe(absl::string_view attribute, const std::vector<std::string>& values,
                     const std::vector<std::string>& allowed) {
  return absl::StrCat(attribute, " [", absl::StrJoin(values, ", "), "] not in [", absl::StrJoin(allowed, ", "), "]");
}

}  // namespace

NameMatcher::NameMatcher(const v1::NameMatcher& proto)
    : cn_(proto.cn().begin(), proto.cn().end()),
      o_(proto.o().begin(), proto.o().end()),
      ou_(proto.ou().begin(), proto.ou().end()),
      dn_(proto.dn().begin(), proto.dn().end()) {}

std::optional<std::string> NameMatcher::Mismatch(const NameView& name) const {
  if (!cn_.empty() && !AnyEqual(cn_, {name.cn})) return Describe("CN", {name.cn}, cn_);
  if (!o_.empty() && !AnyEqual(o_, name.o)) return Describe("O", name.o, o_);
  if (!ou_.empty() && !AnyEqual(ou_, name.ou)) return Describe("OU", name.ou, ou_);
  if (!dn_.empty() && !AnyEqual(dn_, {name.dn})) return Describe("DN", {name.dn}, dn_);
  return std::nullopt;
}

}  // namespace certguard::policy
