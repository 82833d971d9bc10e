#include "server/policy/policy_compiler.h"

#include <filesystem>

#include <openssl/objects.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/headers/format_catalogue.h"
#include "server/policy/policy_defaults.h"
#include "server/policy/rules/identity_rules.h"
#include "server/policy/rules/rule_factories.h"
#include "server/x509/openssl_ptr.h"

namespace certguard::policy {
namespace {

absl::Status Prefixed(absl::string_view field, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(field, ": ", s.message()));
}

absl::Status LoadTrust(const v1::Trust& t, const std::string& base_dir, bool pinned, LoadContext* ctx,
                       CompiledPolicy* out) {
  std::vector<x509::CertificatePtr> anchors, intermediates;
  for (int i = 0; i < t.anchor_files_size(); ++i) {
    auto certs = ctx->LoadCertificates(base_dir, t.anchor_files(i));
    if (!certs.ok()) return Prefixed(absl::StrCat("trust.anchor_files[", i, "]"), certs.status());
    anchors.insert(anchors.end(), certs->begin(), certs->end());
  }
  for (int i = 0; i < t.anchors_pem_size(); ++i) {
    auto certs = x509::Certificate::FromPemBundle(t.anchors_pem(i));
    if (!certs.ok()) return Prefixed(absl::StrCat("trust.anchors_pem[", i, "]"), certs.status());
    anchors.insert(anchors.end(), certs->begin(), certs->end());
  }
  for (int i = 0; i < t.intermediate_files_size(); ++i) {
    auto certs = ctx->LoadCertificates(base_dir, t.intermediate_files(i));
    if (!certs.ok()) return Prefixed(absl::StrCat("trust.intermediate_files[", i, "]"), certs.status());
    intermediates.insert(intermediates.end(), certs->begin(), certs->end());
  }
  for (int i = 0; i < t.intermediates_pem_size(); ++i) {
    auto certs = x509::Certificate::FromPemBundle(t.intermediates_pem(i));
    if (!certs.ok()) return Prefixed(absl::StrCat("trust.intermediates_pem[", i, "]"), certs.status());
    intermediates.insert(intermediates.end(), certs->begin(), certs->end());
  }
  out->allow_chained = t.allowed_certificate_types() != v1::SELF_SIGNED;
  out->allow_self_signed = t.allowed_certificate_types() != v1::CHAINED;
  out->max_chain_depth = static_cast<int>(t.max_chain_depth());
  out->allow_partial_chain = t.allow_partial_chain();
  out->enforce_anchor_expiry = t.enforce_anchor_expiry();
  out->enforce_anchor_constraints = t.enforce_anchor_constraints();
  if (t.max_chain_depth() > 32) return absl::InvalidArgumentError("trust.max_chain_depth: at most 32");
  if (anchors.empty()) {
    // A self-signed-only policy may rely on identity pins instead of anchors (the pinned
    // certificate is then its own anchor); anything else needs anchors.
    if (out->allow_self_signed && !out->allow_chained && pinned) return absl::OkStatus();
    return absl::InvalidArgumentError(
        "trust: no trust anchors (set anchor_files or anchors_pem; a SELF_SIGNED policy may pin "
        "thumbprints, certificate_sha256 or spki_sha256 instead)");
  }
  auto store = ctx->TrustStoreFor(anchors, intermediates,
                                  x509::AnchorOptions{.enforce_constraints = t.enforce_anchor_constraints()});
  if (!store.ok()) return Prefixed("trust", store.status());
  out->trust = *std::move(store);
  return absl::OkStatus();
}

absl::Status CompileCertificatePolicies(const v1::CertificatePolicies& c, CompiledPolicy* out) {
  for (int i = 0; i < c.required_size(); ++i) {
    const std::string& oid = c.required(i);
    x509::Asn1ObjectPtr obj(OBJ_txt2obj(oid.c_str(), /*no_name=*/1));
    if (obj == nullptr || oid.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(oid[0]))) {
      return absl::InvalidArgumentError(
          absl::StrCat("certificate_policies.required[", i, "]: \"", oid, "\" is not a dotted OID"));
    }
    out->initial_policy_set.push_back(oid);
  }
  out->initial_explicit_policy = c.require_explicit_policy();  // defaulted from `required`
  out->initial_policy_mapping_inhibit = c.inhibit_policy_mapping();
  out->initial_any_policy_inhibit = c.inhibit_any_policy();
  return absl::OkStatus();
}

bool HasPins(const v1::IdentityMatcher& m) {
  return !m.thumbprints().empty() || !m.certificate_sha256().empty() || !m.spki_sha256().empty();
}

absl::Status CompileDecodeOptions(const v1::HeaderRules& h, CompiledPolicy* out) {
  headers::DecodeOptions& d = out->decode;
  d.limits.max_header_bytes = h.max_header_bytes();
  d.limits.max_certificates = h.max_certificates();
  d.limits.max_certificate_bytes = h.max_certificate_bytes();
  if (h.max_certificates() > 100) return absl::InvalidArgumentError("headers.max_certificates: at most 100");
  if (h.max_header_bytes() > 1 << 20) return absl::InvalidArgumentError("headers.max_header_bytes: at most 1048576");
  const std::string element = absl::AsciiStrToLower(h.xfcc_element());
  if (element == "last") {
    d.xfcc_element = headers::XfccElement::kLast;
  } else if (element == "first") {
    d.xfcc_element = headers::XfccElement::kFirst;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("headers.xfcc_element: \"", h.xfcc_element(), "\" is not one of last, first"));
  }
  for (int i = 0; i < h.formats_size(); ++i) {
    auto format = headers::ParseFormatName(h.formats(i));
    if (!format || *format == headers::Format::kUnspecified) {
      return absl::InvalidArgumentError(absl::StrCat(
          "headers.formats[", i, "]: unknown format \"", h.formats(i), "\" (",
          absl::StrJoin(headers::AllFormats(), ", ",
                        [](std::string* out, const headers::FormatInfo& f) { absl::StrAppend(out, f.name); }),
          ")"));
    }
    d.allowed_formats.push_back(*format);
  }
  for (const std::string& name : h.names()) d.allowed_header_names.push_back(absl::AsciiStrToLower(name));
  return absl::OkStatus();
}

absl::Status AddRule(absl::StatusOr<std::unique_ptr<const Rule>> rule,
                     std::vector<std::shared_ptr<const Rule>>* rules) {
  RETURN_IF_ERROR(rule.status());
  if (*rule) rules->push_back(*std::move(rule));
  return absl::OkStatus();
}

// AddRule for a rule that depends only on `config`: compiled once per distinct configuration
// in this load and shared by every policy that has it (most policies keep the defaults).
template <typename Config, typename Compile>
absl::Status AddSharedRule(absl::string_view kind, const Config& config, Compile compile, LoadContext* context,
                           std::vector<std::shared_ptr<const Rule>>* rules) {
  const std::string key = absl::StrCat(kind, ":", config.SerializeAsString());
  if (std::shared_ptr<const Rule> shared = context->SharedRule(key)) {
    rules->push_back(std::move(shared));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<const Rule> rule, compile(config));
  if (rule == nullptr) return absl::OkStatus();  // nothing to check; compiled again next time (cheap)
  std::shared_ptr<const Rule> compiled = std::move(rule);
  context->RememberRule(key, compiled);
  rules->push_back(std::move(compiled));
  return absl::OkStatus();
}

std::string Summarize(const v1::Policy& p, const CompiledPolicy& c) {
  std::vector<std::string> parts;
  parts.push_back(v1::ClientCertificateMode_Name(p.client_certificate_mode()));
  parts.push_back(v1::CertificateTypes_Name(p.trust().allowed_certificate_types()));
  if (c.trust) parts.push_back(absl::StrCat(c.trust->anchors().size(), " anchor(s)"));
  if (p.extended_key_usage().check()) {
    parts.push_back(absl::StrCat("EKU ", absl::StrJoin(p.extended_key_usage().allowed(), "|")));
  }
  if (!p.identities().empty()) parts.push_back(absl::StrCat(p.identities_size(), " identities"));
  if (!p.revocation().crl_files().empty()) parts.push_back("CRL");
  if (p.revocation().ocsp().enabled()) parts.push_back("OCSP");
  if (!p.exclusion_paths().empty()) parts.push_back(absl::StrCat(p.exclusion_paths_size(), " excluded path(s)"));
  std::string s = absl::StrJoin(parts, ", ");
  return p.description().empty() ? s : absl::StrCat(p.description(), " (", s, ")");
}

}  // namespace

bool IsValidPolicyId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

absl::StatusOr<CompiledPolicyPtr> CompilePolicy(const v1::Policy& policy, const std::string& source_file,
                                                LoadContext* ctx) {
  if (!IsValidPolicyId(policy.id())) {
    return absl::InvalidArgumentError(
        absl::StrCat("id: \"", policy.id(), "\" is not a valid policy id (1-128 of A-Z a-z 0-9 . _ -)"));
  }
  auto out = std::make_shared<CompiledPolicy>();
  out->id = policy.id();
  out->source_file = source_file;
  v1::Policy effective = policy;
  FillDefaults(&effective);
  out->effective_wire = effective.SerializeAsString();
  const v1::Policy& p = effective;
  const std::string base_dir = std::filesystem::path(source_file).parent_path().string();

  out->certificate_optional =
      p.client_certificate_mode() == v1::OPTIONAL || p.client_certificate_mode() == v1::OPTIONAL_INTERACTIVE_USER;
  ASSIGN_OR_RETURN(out->exclusions,
                   (ExclusionPaths::Compile({p.exclusion_paths().begin(), p.exclusion_paths().end()})));
  out->require_https = p.require_https();
  absl::StatusOr<IdentityAllowlist> callers = IdentityAllowlist::Parse({p.callers().begin(), p.callers().end()});
  if (!callers.ok()) return absl::InvalidArgumentError(absl::StrCat("callers: ", callers.status().message()));
  out->callers = *std::move(callers);
  out->check_time = p.validity().check();
  out->clock_skew = absl::Seconds(p.validity().clock_skew_seconds());

  bool pinned = HasPins(p.identity());
  RETURN_IF_ERROR(LoadTrust(p.trust(), base_dir, pinned, ctx, out.get()));
  RETURN_IF_ERROR(CompileDecodeOptions(p.headers(), out.get()));
  RETURN_IF_ERROR(CompileCertificatePolicies(p.certificate_policies(), out.get()));

  for (int i = 0; i < p.revocation().crl_files_size(); ++i) {
    auto crls = ctx->LoadCrls(base_dir, p.revocation().crl_files(i));
    if (!crls.ok()) return Prefixed(absl::StrCat("revocation.crl_files[", i, "]"), crls.status());
    out->crls.insert(out->crls.end(), crls->begin(), crls->end());
  }
  switch (p.revocation().scope()) {
    case v1::ENTIRE_CHAIN:
      out->revocation_scope = x509::RevocationScope::kEntireChain;
      break;
    case v1::EXCLUDE_ROOT:
      out->revocation_scope = x509::RevocationScope::kExcludeRoot;
      break;
    default:
      out->revocation_scope = x509::RevocationScope::kEndCertificate;
      break;
  }
  out->crl_soft_fail = p.revocation().stale_crl() == v1::SOFT_FAIL;
  if (p.revocation().ocsp().enabled()) {
    const v1::Ocsp& o = p.revocation().ocsp();
    revocation::OcspCheckerOptions options;
    if (!o.responder_url().empty()) {
      if (auto url = revocation::ParseHttpUrl(o.responder_url()); !url.ok()) {
        return Prefixed("revocation.ocsp.responder_url", url.status());
      }
      options.responder_url = o.responder_url();
    }
    if (o.timeout_ms() > 60000) {
      return absl::InvalidArgumentError("revocation.ocsp.timeout_ms: at most 60000");
    }
    options.timeout = absl::Milliseconds(o.timeout_ms());
    if (o.has_failure_cache_ms()) {
      if (o.failure_cache_ms() > 3600000) {
        return absl::InvalidArgumentError("revocation.ocsp.failure_cache_ms: at most 3600000 (one hour)");
      }
      options.failure_ttl = absl::Milliseconds(o.failure_cache_ms());
    }
    out->ocsp = std::make_shared<const revocation::OcspChecker>(std::move(options), revocation::DefaultOcspTransport());
    out->ocsp_soft_fail = o.unreachable() == v1::SOFT_FAIL;
  }

  // Checks on the presented certificates before any signature is verified.
  RETURN_IF_ERROR(AddSharedRule("key", p.key_rules(), CompileKeyRule, ctx, &out->pre_verification_rules));
  // Checks on the leaf and the verified path.
  RETURN_IF_ERROR(AddSharedRule("signature_algorithm", p.key_rules(), CompileSignatureAlgorithmRule, ctx, &out->rules));
  // Before the strict profile, whose weaker CA extendedKeyUsage check it subsumes.
  RETURN_IF_ERROR(AddSharedRule("ca_eku", p.extended_key_usage(), CompileCaEkuRule, ctx, &out->rules));
  auto strict = [](const v1::StrictProfile& c) -> absl::StatusOr<std::unique_ptr<const Rule>> {
    return MakeStrictProfileRule(c);
  };
  RETURN_IF_ERROR(AddSharedRule("strict", p.strict(), strict, ctx, &out->rules));
  RETURN_IF_ERROR(AddSharedRule("eku", p.extended_key_usage(), CompileEkuRule, ctx, &out->rules));
  RETURN_IF_ERROR(AddSharedRule("key_usage", p.key_usage(), CompileKeyUsageRule, ctx, &out->rules));
  RETURN_IF_ERROR(AddSharedRule("spiffe", p.spiffe(), CompileSpiffeRule, ctx, &out->rules));
  auto identity = CompileIdentityMatcher(p.identity());
  if (!identity.ok()) return Prefixed("identity", identity.status());
  for (auto& r : *identity) out->rules.push_back(std::move(r));
  if (!p.identities().empty()) {
    RETURN_IF_ERROR(AddRule(CompileIdentityAlternatives(p.identities()), &out->rules));
  }

  out->summary = Summarize(p, *out);
  // The policy's revision covers its effective configuration and the trust material it uses.
  std::string material = p.SerializeAsString();
  if (out->trust) {
    for (const auto& c : out->trust->anchors()) absl::StrAppend(&material, c->info().sha256_hex);
    for (const auto& c : out->trust->intermediates()) absl::StrAppend(&material, c->info().sha256_hex);
  }
  for (const auto& crl : out->crls) absl::StrAppend(&material, absl::FormatTime(crl->this_update()));
  out->revision = Sha256Hex(material).substr(0, 16);
  return CompiledPolicyPtr(std::move(out));
}

}  // namespace certguard::policy
