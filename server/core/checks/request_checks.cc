#include "server/core/checks/request_checks.h"

#include "absl/strings/str_cat.h"
#include "server/common/utf8.h"
#include "server/core/evaluator.h"
#include "server/policy/check_names.h"

namespace certguard::core {

bool RefusesPlainHttp(const policy::CompiledPolicy& policy, std::optional<bool> is_https) {
  return policy.require_https && is_https.has_value() && !*is_https;
}

bool CheckExclusionPath(const policy::CompiledPolicy& policy, absl::string_view path, CheckRecorder* verdict) {
  if (!IsExcludedPath(policy, path)) return false;
  verdict->Pass(policy::checks::kExclusionPath, absl::StrCat("path ", common::Utf8Prefix(path, 256), " is excluded"));
  return true;
}

bool CheckHttps(const policy::CompiledPolicy& policy, std::optional<bool> is_https, CheckRecorder* verdict) {
  if (!policy.require_https) return true;
  if (RefusesPlainHttp(policy, is_https)) {
    verdict->Fail(policy::checks::kHttps, v1::HTTPS_REQUIRED,
                  "the request did not arrive over HTTPS (is_https false, or a scheme other than https)");
    return false;
  }
  verdict->Pass(policy::checks::kHttps,
                is_https.has_value() ? "request arrived over HTTPS" : "scheme not stated; taken as HTTPS");
  return true;
}

}  // namespace certguard::core
