#include "server/core/evaluator.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/utf8.h"
#include "server/core/check_recorder.h"
#include "server/core/checks/certificate_type_check.h"
#include "server/core/checks/chain_check.h"
#include "server/core/checks/request_checks.h"
#include "server/core/identity_builder.h"
#include "server/core/reason_mapping.h"
#include "server/core/response_utf8.h"
#include "server/policy/check_names.h"

namespace certguard::core {

bool IsExcludedPath(const policy::CompiledPolicy& policy, absl::string_view path) {
  return policy.exclusions.Matches(path);
}

namespace {

// Evaluate without the final UTF-8 pass.
void EvaluateUnsanitized(const policy::CompiledPolicy& policy, const EvaluationInput& input, absl::Time now,
                         v1::ValidateCertificateResponse* response, x509::CertificateCache* certificates) {
  CheckRecorder verdict(response);
  response->set_policy_id(policy.id);

  if (CheckExclusionPath(policy, input.path, &verdict)) {
    verdict.Finish(v1::PATH_EXCLUDED, policy.id);
    return;
  }
  if (!CheckHttps(policy, input.is_https, &verdict)) {
    verdict.Finish(v1::OK, policy.id);
    return;
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
      verdict.Fail(
          policy::checks::kCertificate, v1::MALFORMED_CERTIFICATE,
          absl::StrCat(i == 0 ? "leaf" : absl::StrCat("chain certificate ", i), ": ", cert.status().message()));
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
    if (CheckCertificateType(policy, leaf, &verdict)) {
      CheckChain(policy, leaf, std::span<const x509::CertificatePtr>(presented).subspan(1), now, &verdict, &path,
                 &valid_until, response);
    }
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
