// Matches subject alternative names of one type against one pattern. Every value is parsed to
// its standard's grammar first, and a value that does not parse matches nothing:
//   DNS    x509::IsDnsSan (RFC 1034 LDH labels, A-labels for IDNA, "*." only as a whole
//          left-most label), compared as ASCII case-insensitively, a trailing dot ignored
//   EMAIL  x509::IsMailbox; the local part compared exactly, the domain case-insensitively
//          (RFC 5280 7.5)
//   IP     compared as address bytes of the same family: "::ffff:10.0.0.7" is not "10.0.0.7"
//   URI    RFC 3986 normal form (uri.h); a pattern that starts with spiffe:// takes SPIFFE IDs
//          only (spiffe_id.h); a query or fragment matches only a pattern that names one
// Pattern kinds:
//   exact    as above
//   suffix   DNS ".example.com" (label boundary); EMAIL "@example.com" (the whole domain) or
//            ".example.com" (subdomains of the domain); URI a plain text suffix
//   wildcard DNS only: "*.example.com" matches exactly one left-most label
//   glob     URI only: glob.h ('*' within a segment, '**' across segments)
#ifndef CERTGUARD_SERVER_POLICY_MATCHERS_SAN_MATCHER_H_
#define CERTGUARD_SERVER_POLICY_MATCHERS_SAN_MATCHER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "certguard/v1/policy.pb.h"
#include "server/x509/certificate.h"

namespace certguard::policy {

class SanMatcher {
 public:
  // Validates the pattern (exactly one of exact/suffix/wildcard/glob, type set, wildcard only
  // for DNS, glob only for URI, and a pattern whose names can parse).
  static absl::StatusOr<SanMatcher> Create(const v1::SanMatcher& proto);
  bool Matches(const x509::SubjectAltNames& sans) const;
  // Why `value` (a name of this matcher's type) cannot match any pattern of this kind, or
  // nullopt when it parses.
  std::optional<std::string> Unparsable(const std::string& value) const;
  // The names of this type in `sans` that do not parse, each with the reason ("" when none).
  std::string DescribeUnparsable(const x509::SubjectAltNames& sans) const;
  std::string ToString() const;

 private:
  enum class Kind { kExact, kSuffix, kWildcard, kGlob };
  bool MatchOne(const std::string& value) const;
  const std::vector<std::string>& ValuesOf(const x509::SubjectAltNames& sans) const;
  v1::SanType type_ = v1::SAN_TYPE_UNSPECIFIED;
  Kind kind_ = Kind::kExact;
  std::string pattern_;  // lower-cased for DNS and the EMAIL domain; canonical text for IP
  bool spiffe_ = false;  // URI pattern for SPIFFE IDs
  bool names_query_ = false, names_fragment_ = false;  // URI pattern has '?' / '#'
};

// Canonical text of an IPv4/IPv6 address, or empty when `text` is not an address. An IPv4
// address and its IPv4-mapped IPv6 form stay different.
std::string CanonicalIp(const std::string& text);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_MATCHERS_SAN_MATCHER_H_
