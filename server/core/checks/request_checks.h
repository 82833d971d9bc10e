// The checks on the request itself, before any header is decoded: "exclusion_path" (the path is
// one of the policy's exclusion paths: decided ALLOW / PATH_EXCLUDED without a certificate) and
// "https" (a request stated to arrive over plain HTTP is refused under require_https).
#ifndef CERTGUARD_SERVER_CORE_CHECKS_REQUEST_CHECKS_H_
#define CERTGUARD_SERVER_CORE_CHECKS_REQUEST_CHECKS_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "server/core/check_recorder.h"
#include "server/policy/compiled_policy.h"

namespace certguard::core {

// True when the policy requires HTTPS and the request says it arrived over plain HTTP (an
// unstated scheme is taken as HTTPS). The decision engine asks this too, before any check runs.
bool RefusesPlainHttp(const policy::CompiledPolicy& policy, std::optional<bool> is_https);

// True (and the check recorded) when `path` is excluded; nothing recorded otherwise.
bool CheckExclusionPath(const policy::CompiledPolicy& policy, absl::string_view path, CheckRecorder* verdict);

// False when the policy requires HTTPS and the request says it arrived over plain HTTP; an
// unstated scheme is taken as HTTPS. Records nothing when the policy does not require HTTPS.
bool CheckHttps(const policy::CompiledPolicy& policy, std::optional<bool> is_https, CheckRecorder* verdict);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_CHECKS_REQUEST_CHECKS_H_
