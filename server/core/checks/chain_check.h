// The "chain" check: path validation of the leaf under the policy's trust settings (anchors,
// depth, validity, CRLs, certificate policies), then the "revocation" check when the policy has
// CRLs, then "ocsp" when it checks OCSP. Fills `*path` (leaf first, anchor last) on success, the
// identity's certificate_policies, and revocation_time for a revoked certificate.
#ifndef CERTGUARD_SERVER_CORE_CHECKS_CHAIN_CHECK_H_
#define CERTGUARD_SERVER_CORE_CHECKS_CHAIN_CHECK_H_

#include <span>
#include <vector>

#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/core/check_recorder.h"
#include "server/policy/compiled_policy.h"
#include "server/x509/certificate.h"

namespace certguard::core {

void CheckChain(const policy::CompiledPolicy& policy, const x509::Certificate& leaf,
                std::span<const x509::CertificatePtr> untrusted, absl::Time now, CheckRecorder* verdict,
                std::vector<x509::CertificatePtr>* path, absl::Time* valid_until,
                v1::ValidateCertificateResponse* response);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_CHECKS_CHAIN_CHECK_H_
