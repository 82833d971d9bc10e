#include "server/policy/matchers/san_matcher.h"

#include <arpa/inet.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/utf8.h"
#include "server/policy/matchers/glob.h"
#include "server/policy/matchers/spiffe_id.h"
#include "server/policy/matchers/uri.h"
#include "server/x509/name_syntax.h"

namespace certguard::policy {
namespace {

std::string StripTrailingDot(std::string s) {
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// "local@Domain" -> "local@domain": the local part is compared exactly, the domain ignoring case.
std::string NormalizeMailbox(const std::string& mailbox) {
  const size_t at = mailbox.find('@');
  if (at == std::string::npos) return mailbox;
  return absl::StrCat(mailbox.substr(0, at + 1), absl::AsciiStrToLower(mailbox.substr(at + 1)));
}

absl::Status PatternError(absl::string_view field, const std::string& pattern, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": \"", pattern, "\" ", why));
}

}  // namespace

std::string CanonicalIp(const std::string& text) {
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    return inet_ntop(AF_INET, buf, out, sizeof(out)) ? std::string(out) : std::string();
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    return inet_ntop(AF_INET6, buf, out, sizeof(out)) ? std::string(out) : std::string();
  }
  return {};
}

absl::StatusOr<SanMatcher> SanMatcher::Create(const v1::SanMatcher& proto) {
  SanMatcher m;
  m.type_ = proto.type();
  if (m.type_ == v1::SAN_TYPE_UNSPECIFIED) {
    return absl::InvalidArgumentError("type: required (DNS, URI, EMAIL or IP)");
  }
  int set = 0;
  const char* field = "";
  if (!proto.exact().empty()) {
    ++set;
    m.kind_ = Kind::kExact;
    m.pattern_ = proto.exact();
    field = "exact";
  }
  if (!proto.suffix().empty()) {
    ++set;
    m.kind_ = Kind::kSuffix;
    m.pattern_ = proto.suffix();
    field = "suffix";
  }
  if (!proto.wildcard().empty()) {
    ++set;
    m.kind_ = Kind::kWildcard;
    m.pattern_ = proto.wildcard();
    field = "wildcard";
  }
  if (!proto.glob().empty()) {
    ++set;
    m.kind_ = Kind::kGlob;
    m.pattern_ = proto.glob();
    field = "glob";
  }
  if (set != 1) {
    return absl::InvalidArgumentError("exactly one of exact, suffix, wildcard, glob must be set");
  }
  if (m.kind_ == Kind::kWildcard && m.type_ != v1::DNS)
    return absl::InvalidArgumentError("wildcard: only for type DNS");
  if (m.kind_ == Kind::kGlob && m.type_ != v1::URI) return absl::InvalidArgumentError("glob: only for type URI");
  const std::string original = m.pattern_;
  switch (m.type_) {
    case v1::DNS: {
      m.pattern_ = StripTrailingDot(absl::AsciiStrToLower(m.pattern_));
      const bool ok =
          m.kind_ == Kind::kExact ? x509::IsDnsSan(m.pattern_)
          : m.kind_ == Kind::kSuffix
              ? absl::StartsWith(m.pattern_, ".") && x509::IsHostname(absl::string_view(m.pattern_).substr(1))
              : absl::StartsWith(m.pattern_, "*.") && x509::IsHostname(absl::string_view(m.pattern_).substr(2));
      if (!ok) {
        return PatternError(field, original,
                            m.kind_ == Kind::kExact    ? "is not a DNS name"
                            : m.kind_ == Kind::kSuffix ? "must look like .example.com"
                                                       : "must look like *.example.com");
      }
      break;
    }
    case v1::EMAIL: {
      if (m.kind_ == Kind::kExact) {
        if (!x509::IsMailbox(m.pattern_)) return PatternError(field, original, "is not a mailbox (local@domain)");
        m.pattern_ = NormalizeMailbox(m.pattern_);
      } else {
        m.pattern_ = absl::AsciiStrToLower(m.pattern_);
        const bool ok = (absl::StartsWith(m.pattern_, "@") || absl::StartsWith(m.pattern_, ".")) &&
                        x509::IsHostname(absl::string_view(m.pattern_).substr(1));
        if (!ok) return PatternError(field, original, "must look like @example.com or .example.com");
      }
      break;
    }
    case v1::IP: {
      if (m.kind_ != Kind::kExact) return absl::InvalidArgumentError("type IP: only exact is supported");
      m.pattern_ = CanonicalIp(m.pattern_);
      if (m.pattern_.empty()) return PatternError(field, original, "is not an IP address");
      break;
    }
    case v1::URI: {
      m.spiffe_ = absl::StartsWith(m.pattern_, "spiffe://");
      m.names_query_ = absl::StrContains(m.pattern_, "?");
      m.names_fragment_ = absl::StrContains(m.pattern_, "#");
      if (m.kind_ != Kind::kSuffix) {
        const std::string example = GlobExample(m.pattern_);
        const absl::Status parses = m.spiffe_ ? ParseSpiffeId(example).status() : ParseNormalUri(example).status();
        if (!parses.ok()) {
          return PatternError(
              field, original,
              absl::StrCat(m.spiffe_ ? "can match no valid SPIFFE ID: " : "can match no normal-form URI: ",
                           parses.message()));
        }
      }
      break;
    }
    default:
      return absl::InvalidArgumentError("type: unknown");
  }
  return m;
}

std::optional<std::string> SanMatcher::Unparsable(const std::string& value) const {
  switch (type_) {
    case v1::DNS:
      if (x509::IsDnsSan(StripTrailingDot(value))) return std::nullopt;
      return "not a DNS name (RFC 1034 letters, digits and hyphens; IDNA as A-labels)";
    case v1::EMAIL:
      if (x509::IsMailbox(value)) return std::nullopt;
      return "not a mailbox (local@domain)";
    case v1::IP:
      if (!CanonicalIp(value).empty()) return std::nullopt;
      return "not an IP address";
    case v1::URI: {
      const absl::Status s = spiffe_ ? ParseSpiffeId(value).status() : ParseNormalUri(value).status();
      if (s.ok()) return std::nullopt;
      return absl::StrCat(spiffe_ ? "not a valid SPIFFE ID: " : "not a URI in normal form: ", s.message());
    }
    default:
      return "unknown name type";
  }
}

bool SanMatcher::MatchOne(const std::string& raw) const {
  if (Unparsable(raw)) return false;
  std::string value = raw;
  if (type_ == v1::DNS) value = StripTrailingDot(absl::AsciiStrToLower(value));
  if (type_ == v1::EMAIL) value = NormalizeMailbox(value);
  if (type_ == v1::URI && !spiffe_) {
    const absl::StatusOr<UriParts> parts = ParseNormalUri(value);
    if (!parts.ok() || (parts->query && !names_query_) || (parts->fragment && !names_fragment_)) return false;
  }
  switch (kind_) {
    case Kind::kExact:
      if (type_ == v1::IP) return CanonicalIp(value) == pattern_;
      return value == pattern_;
    case Kind::kSuffix:
      return value.size() > pattern_.size() && absl::EndsWith(value, pattern_);
    case Kind::kWildcard: {
      // "*.example.com": value = <one non-empty label without '*'> + ".example.com"
      absl::string_view base = absl::string_view(pattern_).substr(1);  // ".example.com"
      if (value.size() <= base.size() || !absl::EndsWith(value, base)) return false;
      absl::string_view label = absl::string_view(value).substr(0, value.size() - base.size());
      return !label.empty() && label.find('.') == absl::string_view::npos && label.find('*') == absl::string_view::npos;
    }
    case Kind::kGlob:
      return GlobMatch(pattern_, value);
  }
  return false;
}

const std::vector<std::string>& SanMatcher::ValuesOf(const x509::SubjectAltNames& sans) const {
  switch (type_) {
    case v1::DNS:
      return sans.dns;
    case v1::URI:
      return sans.uri;
    case v1::EMAIL:
      return sans.email;
    default:
      return sans.ip;
  }
}

bool SanMatcher::Matches(const x509::SubjectAltNames& sans) const {
  for (const std::string& v : ValuesOf(sans)) {
    if (MatchOne(v)) return true;
  }
  return false;
}

std::string SanMatcher::DescribeUnparsable(const x509::SubjectAltNames& sans) const {
  std::vector<std::string> out;
  for (const std::string& v : ValuesOf(sans)) {
    if (out.size() == 3) break;
    if (std::optional<std::string> why = Unparsable(v)) {
      out.push_back(absl::StrCat(v1::SanType_Name(type_), " \"", common::Utf8Prefix(v, 128), "\" is ", *why));
    }
  }
  return absl::StrJoin(out, "; ");
}

std::string SanMatcher::ToString() const {
  static constexpr const char* kKinds[] = {"exact", "suffix", "wildcard", "glob"};
  return absl::StrCat(v1::SanType_Name(type_), " ", kKinds[static_cast<int>(kind_)], " ", pattern_);
}

}  // namespace certguard::policy
