// Matches a distinguished name (subject or issuer) against a policy's NameMatcher:
// every non-empty list (cn, o, ou, dn) must have one entry equal to the name's value.
// `dn` is compared exactly with the RFC 2253 text certguard prints (x509::CertificateInfo::
// subject_dn: RDNs last first, '+' inside a multi-valued RDN, RFC 2253 escapes, values in UTF-8
// with bytes above 0x7F as \XX), so the printed identity.subject matches itself and nothing else;
// `cn`, `o`, `ou` compare one attribute's UTF-8 text exactly.
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
