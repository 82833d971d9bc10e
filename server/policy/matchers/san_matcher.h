// Matches subject alternative names of one type against one pattern:
//   exact    DNS/EMAIL case-insensitive, URI exact, IP by address (so "::1" == "0:0::1")
//   suffix   case-insensitive for DNS/EMAIL ("*.example.com"-style suffix ".example.com")
//   wildcard DNS only: "*.example.com" matches exactly one left-most label
//   glob     '*' any run without '/', '**' any run (URIs)
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_SAN_MATCHER_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_SAN_MATCHER_H_

#include <string>

#include "absl/status/statusor.h"
#include "certguard/v1/policy.pb.h"
#include "server/x509/certificate.h"

namespace certguard::policy {

class SanMatcher {
 public:
  // Validates the pattern (exactly one of exact/suffix/wildcard/glob, type set, wildcard only
  // for DNS, IP exact parses as an address).
  static absl::StatusOr<SanMatcher> Create(const v1::SanMatcher& proto);
  bool Matches(const x509::SubjectAltNames& sans) const;
  std::string ToString() const;

 private:
  enum class Kind { kExact, kSuffix, kWildcard, kGlob };
  bool MatchOne(const std::string& value) const;
  v1::SanType type_ = v1::SAN_TYPE_UNSPECIFIED;
  Kind kind_ = Kind::kExact;
  std::string pattern_;  // lower-cased for DNS/EMAIL; canonical text for IP
};

// Canonical text of an IPv4/IPv6 address, or empty when `text` is not an address.
std::string CanonicalIp(const std::string& text);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_SAN_MATCHER_H_
