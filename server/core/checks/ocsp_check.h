// The "ocsp" check: OCSP for the leaf of a verified `path` (leaf first). Revoked -> REVOKED with
// revocation_time; "unknown" -> REVOCATION_UNKNOWN always (an authoritative answer, not an
// outage); no answer (no URL, network, bad or stale response) -> REVOCATION_UNKNOWN, or a
// passing check that failed open under `unreachable: SOFT_FAIL`. Narrows `*valid_until` to the
// answer's nextUpdate (to now when there is no answer: such a verdict is not cached).
#ifndef CERTGUARD_SERVER_CORE_CHECKS_OCSP_CHECK_H_
#define CERTGUARD_SERVER_CORE_CHECKS_OCSP_CHECK_H_

#include <span>

#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/core/check_recorder.h"
#include "server/policy/compiled_policy.h"
#include "server/x509/certificate.h"

namespace certguard::core {

void CheckOcsp(const policy::CompiledPolicy& policy, std::span<const x509::CertificatePtr> path, absl::Time now,
               CheckRecorder* verdict, absl::Time* valid_until, v1::ValidateCertificateResponse* response);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_CHECKS_OCSP_CHECK_H_
