#include "server/core/checks/chain_check.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/core/checks/ocsp_check.h"
#include "server/core/identity_builder.h"
#include "server/core/reason_mapping.h"
#include "server/policy/check_names.h"
#include "server/x509/chain_verifier.h"

namespace certguard::core {

void CheckChain(const policy::CompiledPolicy& policy, const x509::Certificate& leaf,
                std::span<const x509::CertificatePtr> untrusted, absl::Time now, CheckRecorder* verdict,
                std::vector<x509::CertificatePtr>* path, absl::Time* valid_until,
                v1::ValidateCertificateResponse* response) {
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
    auto created = x509::TrustStore::Create(
        {std::shared_ptr<const x509::Certificate>(std::shared_ptr<const x509::Certificate>{}, &leaf)}, {});
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

}  // namespace certguard::core
