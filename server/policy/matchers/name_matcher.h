// Matches a distinguished name (subject or issuer) against a policy's NameMatcher:
// every non-empty list (cn, o, ou, dn) must have one entry equal to the name's value.
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_NAME_MATCHER_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_NAME_MATCHER_H_

#include <optional>
#include <string>
#include <vector>

#include "certguard/v1/policy.pb.h"

namespace certguard::policy {

// The parts of one DN a NameMatcher looks at.
struct NameView {
  const std::string& dn;
  const std::string& cn;
  const std::vector<std::string>& o;
  const std::vector<std::string>& ou;
};

class NameMatcher {
 public:
  explicit NameMatcher(const v1::NameMatcher& proto);
  bool empty() const { return cn_.empty() && o_.empty() && ou_.empty() && dn_.empty(); }
  // nullopt when the name matches; otherwise which attribute failed, e.g. "CN \"x\" not in [a, b]".
  std::optional<std::string> Mismatch(const NameView& name) const;

 private:
  std::vector<std::string> cn_, o_, ou_, dn_;
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_NAME_MATCHER_H_
