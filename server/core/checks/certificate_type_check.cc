#include "server/core/checks/certificate_type_check.h"

#include "server/policy/check_names.h"

namespace certguard::core {

bool CheckCertificateType(const policy::CompiledPolicy& policy, const x509::Certificate& leaf, CheckRecorder* verdict) {
  const bool self_signed = leaf.self_signed();
  if (self_signed && !policy.allow_self_signed) {
    verdict->Fail(policy::checks::kCertificateType, v1::SELF_SIGNED_NOT_ALLOWED, "the leaf is self-signed");
    return false;
  }
  if (!self_signed && !policy.allow_chained) {
    verdict->Fail(policy::checks::kCertificateType, v1::CHAINED_NOT_ALLOWED, "the leaf is not self-signed");
    return false;
  }
  verdict->Pass(policy::checks::kCertificateType, self_signed ? "self-signed" : "chained");
  return true;
}

}  // namespace certguard::core
