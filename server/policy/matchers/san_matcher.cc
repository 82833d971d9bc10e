#include "server/policy/matchers/san_matcher.h"

#include <arpa/inet.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/policy/matchers/glob.h"

namespace certguard::policy {
namespace {

bool CaseInsensitive(v1::SanType type) { return type == v1::DNS || type == v1::EMAIL; }

std::string StripTrailingDot(std::string s) {
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
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
  if (!proto.exact().empty()) { ++set; m.kind_ = Kind::kExact; m.pattern_ = proto.exact(); }
  if (!proto.suffix().empty()) { ++set; m.kind_ = Kind::kSuffix; m.pattern_ = proto.suffix(); }
  if (!proto.wildcard().empty()) { ++set; m.kind_ = Kind::kWildcard; m.pattern_ = proto.wildcard(); }
  if (!proto.glob().empty()) { ++set; m.kind_ = Kind::kGlob; m.pattern_ = proto.glob(); }
  if (set != 1) {
    return absl::InvalidArgumentError("exactly one of exact, suffix, wildcard, glob must be set");
  }
  if (m.kind_ == Kind::kWildcard) {
    if (m.type_ != v1::DNS) return absl::InvalidArgumentError("wildcard: only for type DNS");
    if (!absl::StartsWith(m.pattern_, "*.") || m.pattern_.find('*', 1) != std::string::npos ||
        m.pattern_.size() < 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("wildcard: \"", m.pattern_, "\" must look like *.example.com"));
    }
  }
  if (m.type_ == v1::IP) {
    if (m.kind_ != Kind::kExact) return absl::InvalidArgumentError("type IP: only exact is supported");
    std::string canonical = CanonicalIp(m.pattern_);
    if (canonical.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("exact: \"", m.pattern_, "\" is not an IP address"));
    }
    m.pattern_ = canonical;
  }
  if (CaseInsensitive(m.type_)) m.pattern_ = StripTrailingDot(absl::AsciiStrToLower(m.pattern_));
  return m;
}

bool SanMatcher::MatchOne(const std::string& raw) const {
  std::string value = raw;
  if (CaseInsensitive(type_)) value = StripTrailingDot(absl::AsciiStrToLower(value));
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
      return !label.empty() && label.find('.') == absl::string_view::npos &&
             label.find('*') == absl::string_view::npos;
    }
    case Kind::kGlob:
      return GlobMatch(pattern_, value);
  }
  return false;
}

bool SanMatcher::Matches(const x509::SubjectAltNames& sans) const {
  const std::vector<std::string>* values = nullptr;
  switch (type_) {
    case v1::DNS: values = &sans.dns; break;
    case v1::URI: values = &sans.uri; break;
    case v1::EMAIL: values = &sans.email; break;
    case v1::IP: values = &sans.ip; break;
    default: return false;
  }
  for (const std::string& v : *values) {
    if (MatchOne(v)) return true;
  }
  return false;
}

std::string SanMatcher::ToString() const {
  static constexpr const char* kKinds[] = {"exact", "suffix", "wildcard", "glob"};
  return absl::StrCat(v1::SanType_Name(type_), " ", kKinds[static_cast<int>(kind_)], " ", pattern_);
}

}  // namespace certguard::policy
