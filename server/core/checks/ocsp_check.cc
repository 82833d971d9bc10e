#include "server/core/checks/ocsp_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/core/identity_builder.h"
#include "server/policy/check_names.h"

namespace certguard::core {

void CheckOcsp(const policy::CompiledPolicy& policy, std::span<const x509::CertificatePtr> path, absl::Time now,
               CheckRecorder* verdict, absl::Time* valid_until, v1::ValidateCertificateResponse* response) {
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
      if (o.revocation_time != absl::InfinitePast())
        SetTimestamp(o.revocation_time, response->mutable_revocation_time());
      return;
    case Kind::kUnknown:
      verdict->Fail(policy::checks::kOcsp, v1::REVOCATION_UNKNOWN, std::move(o.detail));
      return;
    case Kind::kError:
      if (policy.ocsp_soft_fail) {
        verdict->PassFailedOpen(policy::checks::kOcsp,
                                absl::StrCat("failed open (unreachable: SOFT_FAIL): ", o.detail));
      } else {
        verdict->Fail(policy::checks::kOcsp, v1::REVOCATION_UNKNOWN, absl::StrCat("no OCSP answer: ", o.detail));
      }
      return;
  }
}

}  // namespace certguard::core
