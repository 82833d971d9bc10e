// The single place where a policy's defaults live: FillDefaults writes every defaulted field
// explicitly, so the compiler reads plain values and GetPolicy shows the effective config.
#ifndef CERTGUARD_SERVER_POLICY_POLICY_DEFAULTS_H_
#define CERTGUARD_SERVER_POLICY_POLICY_DEFAULTS_H_

#include "certguard/v1/policy.pb.h"

namespace certguard::policy {

inline constexpr uint32_t kDefaultMaxChainDepth = 5;
inline constexpr uint32_t kDefaultMaxHeaderBytes = 64 * 1024;
inline constexpr uint32_t kDefaultMaxCertificates = 10;
inline constexpr uint32_t kDefaultMaxCertificateBytes = 16 * 1024;
inline constexpr uint32_t kDefaultOcspTimeoutMs = 2000;
inline constexpr uint32_t kDefaultOcspFailureCacheMs = 5000;  // a failed responder is not asked again for this long

void FillDefaults(v1::Policy* policy);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_POLICY_DEFAULTS_H_
