#include "server/core/evaluator.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/policy/check_names.h"
#include "server/common/utf8.h"
#include "server/core/identity_builder.h"
#include "server/core/response_utf8.h"
#include "server/core/reason_mapping.h"
#include "server/core/reasons.h"
#include "server/x509/chain_verifier.h"

namespace certguard::core {
namespace {

// Accumulates checks; the first failure decides the reason.
class Verdict {
 public:
  explicit Verdict(v1::ValidateCertificateResponse* r) : r_(r) {}

  void Add(absl::string_view name, bool passed, v1::Reason reason, std::string detail) {
    v1::Check* c = r_->add_checks();
    c->set_name(std::string(name));
    c->set_passed(passed);
    if (!passed) {
      c->set_reason(reason);
      if (first_failure_ == v1::REASON_UNSPECIFIED) {
        first_failure_ = reason;
        first_detail_ = detail;
      }
    }
    c->set_detail(std::move(detail));
  }
  void Pass(absl::string_view name, std::string detail) { Add(name, true, v1::REASON_UNSPECIFIED, std::move(detail)); }
  // A pass that holds only because the policy fails open (Check.failed_open).
  void PassFailedOpen(absl::string_view name, std::string detail) {
    Pass(name, std::move(detail));
    r_->mutable_checks()->rbegin()->set_failed_open(true);
  }
  void Fail(absl::string_view name, v1::Reason reason, std::string detail) { Add(name, false, reason, std::move(detail)); }
  bool failed() const { return first_failure_ != v1::REASON_UNSPECIFIED; }

  // Writes decision, reason and message. `allow_reason` is used when nothing failed.
  void Finish(v1::Reason allow_reason, absl::string_view policy_id) {
    if (failed()) {
      r_->set_decision(v1::DENY);
      r_->set_reason(first_failure_);
      r_->set_message(absl::StrCat(ReasonSentence(first_failure_), ": ", first_detail_));
    } else {
      r_->set_decision(v1::ALLOW);
      r_->set_reason(allow_reason);
      r_->set_message(absl::StrCat(ReasonSentence(allow_reason), " (policy ", policy_id, ")"));
    }
  }

 private:
  v1::ValidateCertificateResponse* r_;
  v1::Reason first_failure_ = v1::REASON_UNSPECIFIED;
  std::string first_detail_;
};

// OCSP for the leaf of a verified `path` (leaf first), as the "ocsp" check. Revoked -> REVOKED
// with revocation_time; "unknown" -> REVOCATION_UNKNOWN always (an authoritative answer, not an
// outage); no answer (no URL, network, bad or stale response) -> REVOCATION_UNKNOWN, or a
// passing check noting the failed open under `unreachable: SOFT_FAIL`. The detail carries the
// verdict-cache bound (revocation::WithCacheUntil).
void CheckOcsp(const policy::CompiledPolicy& policy, std::span<const x509::CertificatePtr> path,
               absl::Time now, Verdict* verdict, absl::Time* valid_until,
               v1::ValidateCertificateResponse* response) {
  if (path.size() < 2) {
    verdict->Pass(policy::checks::kOcsp, "not applicable: the leaf is itself the trust anchor");
    return;
  }
  using Kind = revocation::OcspOutcome::Kind;
  revocation::OcspOutcome o = policy.ocsp->Check(*path[0], path.subspan(1), now);
  // A verified answer bounds the verdict until its nextUpdate; without one it must not be reused.
  *valid_until = std::min(*valid_until, o.kind == revocation::OcspOutcome::Kind::kError ? now : o.cache_until);
  switch (o.kind) {
    case Kind::kGood:
      verdict->Pass(policy::checks::kOcsp, std::move(o.detail));
      return;
    case Kind::kRevoked:
      verdict->Fail(policy::checks::kOcsp, v1::REVOKED, std::move(o.detail));
      if (o.revocation_time != absl::InfinitePast()) SetTimestamp(o.revocation_time, response->mutable_revocation_time());
      return;
    case Kind::kUnknown:
      verdict->Fail(policy::checks::kOcsp, v1::REVOCATION_UNKNOWN, std::move(o.detail));
      return;
    case Kind::kError:
      if (policy.ocsp_soft_fail) {
        verdict->PassFailedOpen(policy::checks::kOcsp, absl::StrCat("failed open (unreachable: SOFT_FAIL): ", o.detail));
      } else {
        verdict->Fail(policy::checks::kOcsp, v1::REVOCATION_UNKNOWN, absl::StrCat("no OCSP answer: ", o.detail));
      }
      return;
  }
}

// Chain verification under the policy's trust settings. Fills `path` on success.
void VerifyTrust(const policy::CompiledPolicy& policy, const x509::Certificate& leaf,
                 std::span<const x509::CertificatePtr> untrusted, absl::Time now, Verdict* verdict,
                 std::vector<x509::CertificatePtr>* path, absl::Time* valid_until,
                 v1::ValidateCertificateResponse* response) {
  const bool self_signed = leaf.self_signed();
  if (self_signed && !policy.allow_self_signed) {
    verdict->Fail(policy::checks::kCertificateType, v1::SELF_SIGNED_NOT_ALLOWED, "the leaf is self-signed");
    return;
  }
  if (!self_signed && !policy.allow_chained) {
    verdict->Fail(policy::checks::kCertificateType, v1::CHAINED_NOT_ALLOWED, "the leaf is not self-signed");
    return;
  }
  verdict->Pass(policy::checks::kCertificateType, self_signed ? "self-signed" : "chained");

  x509::VerifyOptions options;
  options.now = now;
  options.check_time = policy.check_time;
  options.clock_skew = policy.clock_skew;
  options.max_depth = policy.max_chain_depth;
  options.allow_partial_chain = policy.allow_partial_chain;
  options.crls = policy.crls;
  options.revocation_scope = policy.revocation_scope;
  options.crl_soft_fail = policy.crl_soft_fail;
  options.initial_policy_set = policy.initial_policy_set;
  options.initial_explicit_policy = policy.initial_explicit_policy;
  options.initial_policy_mapping_inhibit = policy.initial_policy_mapping_inhibit;
  options.initial_any_policy_inhibit = policy.initial_any_policy_inhibit;
  options.enforce_anchor_expiry = policy.enforce_anchor_expiry;

  std::shared_ptr<const x509::TrustStore> pinned_store;
  const x509::TrustStore* store = policy.trust.get();
  if (store == nullptr) {
    // SELF_SIGNED policy without anchors: the pinned leaf is its own anchor; the identity
    // pins (compiled as rules) decide whether it is acceptable.
    auto created = x509::TrustStore::Create({std::shared_ptr<const x509::Certificate>(
                                                 std::shared_ptr<const x509::Certificate>{}, &leaf)},
                                            {});
    if (!created.ok()) {
      verdict->Fail(policy::checks::kChain, v1::INTERNAL_ERROR, std::string(created.status().message()));
      return;
    }
    pinned_store = *std::move(created);
    store = pinned_store.get();
  }
  x509::VerifyResult result = x509::VerifyChain(leaf, untrusted, *store, options);
  if (!result.ok()) {
    verdict->Fail(policy::checks::kChain, ReasonFor(result.error), result.message);
    if (result.error == x509::VerifyError::kRevoked) {
      SetTimestamp(result.revocation_time, response->mutable_revocation_time());
    }
    return;
  }
  std::string detail = absl::StrCat("verified path of ", result.path.size(), " certificate(s) to ",
                                    result.path.back()->info().subject_dn);
  verdict->Pass(policy::checks::kChain, std::move(detail));
  if (!policy.crls.empty()) {
    if (result.crl_stale) {
      verdict->PassFailedOpen(policy::checks::kRevocation, "not revoked (a CRL is past nextUpdate; soft-fail)");
    } else {
      verdict->Pass(policy::checks::kRevocation, "not revoked according to the policy's CRLs");
    }
  }
  for (std::string& oid : result.valid_policies) {
    response->mutable_identity()->add_certificate_policies(std::move(oid));
  }
  if (policy.ocsp != nullptr) CheckOcsp(policy, result.path, now, verdict, valid_until, response);
  *path = std::move(result.path);
}

}  // namespace

bool IsExcludedPath(const policy::CompiledPolicy& policy, absl::string_view path) {
  return policy.exclusions.Matches(path);
}

namespace {

// Evaluate without the final UTF-8 pass.
void EvaluateUnsanitized(const policy::CompiledPolicy& policy, const EvaluationInput& input, absl::Time now,
                         v1::ValidateCertificateResponse* response, x509::CertificateCache* certificates) {
  Verdict verdict(response);
  response->set_policy_id(policy.id);

  if (IsExcludedPath(policy, input.path)) {
    verdict.Pass(policy::checks::kExclusionPath, absl::StrCat("path ", common::Utf8Prefix(input.path, 256), " is excluded"));
    verdict.Finish(v1::PATH_EXCLUDED, policy.id);
    return;
  }
  if (policy.require_https) {
    if (input.is_https.has_value() && !*input.is_https) {
      verdict.Fail(policy::checks::kHttps, v1::HTTPS_REQUIRED,
                   "the request did not arrive over HTTPS (is_https false, or a scheme other than https)");
      verdict.Finish(v1::OK, policy.id);
      return;
    }
    verdict.Pass(policy::checks::kHttps, input.is_https.has_value() ? "request arrived over HTTPS"
                                                     : "scheme not stated; taken as HTTPS");
  }

  headers::DecodeResult decoded = headers::DecodeHeaders(input.headers, policy.decode);
  if (decoded.error != headers::DecodeError::kNone) {
    verdict.Fail(policy::checks::kHeader, ReasonFor(decoded.error), decoded.message);
    verdict.Finish(v1::OK, policy.id);
    return;
  }
  if (decoded.absent || decoded.chain.der.empty()) {
    if (policy.certificate_optional) {
      verdict.Pass(policy::checks::kCertificate, "no certificate presented; optional for this policy");
      verdict.Finish(v1::CERTIFICATE_ABSENT_ALLOWED, policy.id);
    } else {
      verdict.Fail(policy::checks::kCertificate, v1::CERTIFICATE_MISSING, "no certificate presented");
      verdict.Finish(v1::OK, policy.id);
    }
    return;
  }
  response->set_format(static_cast<v1::HeaderFormat>(decoded.chain.format));
  verdict.Pass(policy::checks::kHeader, absl::StrCat(std::string(headers::FormatName(decoded.chain.format)), ", ",
                                      decoded.chain.der.size(), " certificate(s)"));

  std::vector<x509::CertificatePtr> presented;
  presented.reserve(decoded.chain.der.size());
  for (size_t i = 0; i < decoded.chain.der.size(); ++i) {
    auto cert = certificates != nullptr ? certificates->Parse(decoded.chain.der[i])
                                        : x509::Certificate::FromDer(decoded.chain.der[i]);
    if (!cert.ok()) {
      verdict.Fail(policy::checks::kCertificate, v1::MALFORMED_CERTIFICATE,
                   absl::StrCat(i == 0 ? "leaf" : absl::StrCat("chain certificate ", i), ": ",
                                cert.status().message()));
      verdict.Finish(v1::OK, policy.id);
      return;
    }
    presented.push_back(*std::move(cert));
  }
  const x509::Certificate& leaf = *presented[0];
  FillIdentity(leaf.info(), response->mutable_identity());
  // When this verdict stops being true on its own (narrowed by CRLs and OCSP below).
  absl::Time valid_until = leaf.info().not_after + policy.clock_skew + absl::Seconds(1);
  if (leaf.info().not_before - policy.clock_skew > now) {
    valid_until = std::min(valid_until, leaf.info().not_before - policy.clock_skew);
  }
  for (const auto& crl : policy.crls) valid_until = std::min(valid_until, crl->next_update());
  verdict.Pass(policy::checks::kCertificate, absl::StrCat("parsed ", leaf.info().subject_dn));

  std::vector<x509::CertificatePtr> path;
  policy::RuleContext context{leaf, presented, path, now, policy.enforce_anchor_constraints};
  bool pre_ok = true;
  for (const auto& rule : policy.pre_verification_rules) {
    policy::RuleResult r = rule->Check(context);
    verdict.Add(rule->name(), r.passed, r.reason, std::move(r.detail));
    pre_ok = pre_ok && r.passed;
  }
  if (pre_ok) {
    VerifyTrust(policy, leaf, std::span<const x509::CertificatePtr>(presented).subspan(1), now,
                &verdict, &path, &valid_until, response);
  } else {
    verdict.Fail(policy::checks::kChain, v1::CHAIN_INVALID, "not verified: a key or signature algorithm check failed");
  }
  response->mutable_identity()->set_chain_length(static_cast<int32_t>(path.size()));
  context.path = path;
  for (const auto& rule : policy.rules) {
    policy::RuleResult r = rule->Check(context);
    verdict.Add(rule->name(), r.passed, r.reason, std::move(r.detail));
  }
  SetTimestamp(std::max(now, valid_until), response->mutable_valid_until());
  verdict.Finish(v1::OK, policy.id);
}

}  // namespace

void Evaluate(const policy::CompiledPolicy& policy, const EvaluationInput& input, absl::Time now,
              v1::ValidateCertificateResponse* response, x509::CertificateCache* certificates) {
  EvaluateUnsanitized(policy, input, now, response, certificates);
  // Names, SANs and details carry certificate and request bytes: every string is made valid
  // UTF-8 once, here, before the response is cached, logged or sent.
  ReplaceInvalidUtf8(response);
}

absl::StatusOr<const policy::CompiledPolicy*> LookupPolicy(const policy::Registry* registry,
                                                          absl::string_view policy_id) {
  if (registry == nullptr) return absl::UnavailableError("the policy registry is not loaded yet");
  if (policy_id.empty()) return absl::InvalidArgumentError("policy_id is required");
  const policy::CompiledPolicy* policy = registry->Find(policy_id);
  if (policy == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown policy \"", common::Utf8Prefix(policy_id, 128), "\""));
  }
  return policy;
}

absl::Status EvaluateInRegistry(const policy::Registry* registry, absl::string_view policy_id,
                                const EvaluationInput& input, absl::Time now,
                                v1::ValidateCertificateResponse* response) {
  absl::StatusOr<const policy::CompiledPolicy*> policy = LookupPolicy(registry, policy_id);
  if (!policy.ok()) return policy.status();
  response->set_revision(registry->revision());
  Evaluate(**policy, input, now, response);
  return absl::OkStatus();
}

}  // namespace certguard::core
