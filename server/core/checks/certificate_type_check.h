// The "certificate_type" check: a self-signed leaf only where the policy accepts self-signed
// certificates (SELF_SIGNED_NOT_ALLOWED otherwise), a CA-issued one only where it accepts chained
// ones (CHAINED_NOT_ALLOWED). False when it failed.
#ifndef CERTGUARD_SERVER_CORE_CHECKS_CERTIFICATE_TYPE_CHECK_H_
#define CERTGUARD_SERVER_CORE_CHECKS_CERTIFICATE_TYPE_CHECK_H_

#include "server/core/check_recorder.h"
#include "server/policy/compiled_policy.h"
#include "server/x509/certificate.h"

namespace certguard::core {

bool CheckCertificateType(const policy::CompiledPolicy& policy, const x509::Certificate& leaf, CheckRecorder* verdict);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_CHECKS_CERTIFICATE_TYPE_CHECK_H_
