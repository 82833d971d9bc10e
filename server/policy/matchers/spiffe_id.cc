#include "server/policy/matchers/spiffe_id.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/utf8.h"

namespace certguard::policy {
namespace {

constexpr absl::string_view kScheme = "spiffe://";

bool TrustDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

bool PathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

// Why a character cannot stand where it does, in the words of the standard's errors.
std::string BadChar(char c, absl::string_view where) {
  if (c == '%') return absl::StrCat(where, " must not be percent-encoded");
  if (c == '?') return "a SPIFFE ID has no query";
  if (c == '#') return "a SPIFFE ID has no fragment";
  if (where == "the trust domain") {
    if (c == ':') return "the trust domain must not have a port";
    if (c == '@') return "the trust domain must not have userinfo";
    if (c >= 'A' && c <= 'Z') return "the trust domain must be lower case";
  }
  const unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x21 && u < 0x7f ? absl::StrCat(where, " must not contain '", std::string(1, c), "'")
                               : absl::StrCat(where, " contains a byte outside a-z A-Z 0-9 . - _");
}

}  // namespace

absl::Status ValidateTrustDomain(absl::string_view td) {
  if (td.empty()) return absl::InvalidArgumentError("the trust domain is empty");
  if (td.size() > kMaxTrustDomainBytes) {
    return absl::InvalidArgumentError(absl::StrCat("the trust domain is longer than ", kMaxTrustDomainBytes, " bytes"));
  }
  for (char c : td) {
    if (!TrustDomainChar(c)) return absl::InvalidArgumentError(BadChar(c, "the trust domain"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSpiffePath(absl::string_view path) {
  if (path.empty()) return absl::OkStatus();
  if (path[0] != '/') return absl::InvalidArgumentError("the path must start with /");
  size_t start = 1;
  while (true) {
    size_t end = path.find('/', start);
    if (end == absl::string_view::npos) end = path.size();
    const absl::string_view segment = path.substr(start, end - start);
    if (segment.empty()) {
      return absl::InvalidArgumentError(end == path.size() ? "the path must not end with /"
                                                           : "the path must not have an empty segment");
    }
    if (segment == "." || segment == "..") {
      return absl::InvalidArgumentError("the path must not have '.' or '..' segments");
    }
    for (char c : segment) {
      if (!PathChar(c)) return absl::InvalidArgumentError(BadChar(c, "the path"));
    }
    if (end == path.size()) return absl::OkStatus();
    start = end + 1;
  }
}

absl::StatusOr<SpiffeId> ParseSpiffeId(absl::string_view text) {
  if (text.size() > kMaxSpiffeIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat("a SPIFFE ID is at most ", kMaxSpiffeIdBytes, " bytes"));
  }
  if (!absl::StartsWith(text, kScheme)) {
    return absl::InvalidArgumentError(absl::StartsWithIgnoreCase(text, kScheme)
                                          ? "the scheme must be lower-case \"spiffe\""
                                          : "a SPIFFE ID starts with spiffe://");
  }
  const absl::string_view rest = text.substr(kScheme.size());
  const size_t slash = rest.find('/');
  SpiffeId id;
  const absl::string_view td = rest.substr(0, slash);
  if (absl::Status s = ValidateTrustDomain(td); !s.ok()) return s;
  const absl::string_view path = slash == absl::string_view::npos ? absl::string_view() : rest.substr(slash);
  if (absl::Status s = ValidateSpiffePath(path); !s.ok()) return s;
  id.trust_domain = std::string(td);
  id.path = std::string(path);
  return id;
}

std::string InvalidSpiffeIdDetail(absl::string_view id, const absl::Status& status) {
  return absl::StrCat("\"", common::Utf8Prefix(id, 256), "\" is not a valid SPIFFE ID: ", status.message());
}

}  // namespace certguard::policy
