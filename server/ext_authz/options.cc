#include "server/ext_authz/options.h"

#include <cstdlib>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/headers/format_catalogue.h"

namespace certguard::ext_authz {
namespace {

constexpr absl::string_view kPeer = "peer";

// A lower-case HTTP field name (RFC 9110 token, restricted to what proxies forward).
bool IsLowerToken(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<CertSource>> ParseCertSources(absl::string_view spec) {
  std::vector<CertSource> sources;
  absl::flat_hash_set<std::string> seen;
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    absl::string_view name = item;
    absl::string_view format_name;
    if (const size_t eq = item.find('='); eq != absl::string_view::npos) {
      name = absl::StripAsciiWhitespace(item.substr(0, eq));
      format_name = absl::StripAsciiWhitespace(item.substr(eq + 1));
    }
    CertSource source;
    const std::string lower = absl::AsciiStrToLower(name);
    if (lower == kPeer) {
      if (!format_name.empty()) {
        return absl::InvalidArgumentError(
            "the peer certificate is always URL-encoded PEM; "
            "\"peer\" takes no format");
      }
      source.kind = CertSource::Kind::kPeerCertificate;
      source.format = headers::Format::kUrlEncodedPem;
    } else {
      if (!IsLowerToken(lower)) {
        return absl::InvalidArgumentError(
            absl::StrCat("certificate source \"", item, "\" is not \"peer\" or a header name"));
      }
      if (lower == "client-cert-chain") {
        return absl::InvalidArgumentError(
            "client-cert-chain is read together with client-cert; list client-cert instead");
      }
      source.kind = CertSource::Kind::kHeader;
      source.header = lower;
      if (!format_name.empty()) {
        std::optional<headers::Format> format = headers::ParseFormatName(format_name);
        if (!format.has_value() || *format == headers::Format::kUnspecified) {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown header format \"", format_name, "\" for ", lower,
                           " (use a certguard.v1.HeaderFormat name such as URL_ENCODED_PEM)"));
        }
        source.format = *format;
      }
    }
    if (!seen.insert(lower).second) {
      return absl::InvalidArgumentError(absl::StrCat("certificate source ", lower, " is listed twice"));
    }
    sources.push_back(std::move(source));
  }
  if (sources.empty()) return absl::InvalidArgumentError("no certificate source listed");
  return sources;
}

std::vector<CertSource> DefaultCertSources() {
  absl::StatusOr<std::vector<CertSource>> sources = ParseCertSources(kDefaultCertSources);
  if (!sources.ok()) std::abort();  // a constant; covered by options_test
  return *std::move(sources);
}

std::string AllCertSourcesSpec() {
  std::string spec = "peer";
  for (const headers::KnownHeader& known : headers::KnownHeaders()) {
    if (known.role == headers::HeaderRole::kFixesFormat || known.role == headers::HeaderRole::kDetectByValue) {
      absl::StrAppend(&spec, ",", known.name);
    }
  }
  return spec;
}

std::vector<CertSource> AllCertSources() {
  absl::StatusOr<std::vector<CertSource>> sources = ParseCertSources(AllCertSourcesSpec());
  if (!sources.ok()) std::abort();  // a constant; covered by options_test
  return *std::move(sources);
}

std::string CertSourcesToString(const std::vector<CertSource>& sources) {
  return absl::StrJoin(sources, ",", [](std::string* out, const CertSource& source) {
    if (source.kind == CertSource::Kind::kPeerCertificate) {
      absl::StrAppend(out, kPeer);
      return;
    }
    absl::StrAppend(out, source.header);
    if (source.format != headers::Format::kUnspecified) {
      absl::StrAppend(out, "=", headers::FormatName(source.format));
    }
  });
}

std::vector<std::string> IdentityHeaderNames::All() const {
  std::vector<std::string> names;
  for (const std::string* name : Fields()) {
    if (!name->empty()) names.push_back(*name);
  }
  return names;
}

absl::StatusOr<IdentityHeaderNames> IdentityHeaderNamesWithPrefix(absl::string_view prefix) {
  for (char c : prefix) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return absl::InvalidArgumentError(
          absl::StrCat("identity header prefix \"", prefix, "\" must be lower-case letters, digits and '-'"));
    }
  }
  IdentityHeaderNames names;
  for (std::string* name : {&names.subject, &names.sha256, &names.issuer, &names.spiffe_id, &names.policy,
                            &names.revision, &names.reason}) {
    *name = absl::StrCat(prefix, absl::StripPrefix(*name, "x-"));
  }
  return names;
}

absl::Status ValidateOptions(const ExtAuthzOptions& options) {
  if (options.cert_sources.empty()) return absl::InvalidArgumentError("no certificate source listed");
  if (options.policy_context_key.empty()) {
    return absl::InvalidArgumentError("the policy context_extensions key is empty");
  }
  absl::flat_hash_set<std::string> sources;
  for (const CertSource& source : options.cert_sources) {
    if (source.kind != CertSource::Kind::kHeader) continue;
    if (!IsLowerToken(source.header)) {
      return absl::InvalidArgumentError(absl::StrCat("bad certificate header name \"", source.header, "\""));
    }
    sources.insert(source.header);
    if (source.header == "client-cert") sources.insert("client-cert-chain");
  }
  absl::flat_hash_set<std::string> identity;
  for (const std::string& name : options.identity_headers.All()) {
    if (!IsLowerToken(name)) {
      return absl::InvalidArgumentError(absl::StrCat("bad identity header name \"", name, "\""));
    }
    if (sources.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat("identity header ", name, " is also a certificate source"));
    }
    if (!identity.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("identity header ", name, " is used twice"));
    }
  }
  return absl::OkStatus();
}

}  // namespace certguard::ext_authz
