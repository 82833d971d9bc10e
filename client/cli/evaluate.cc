#include "client/cli/evaluate.h"

#include "absl/time/clock.h"
#include "server/core/evaluator.h"
#include "server/core/request_conversion.h"
#include "server/policy/registry_loader.h"

namespace certguard::client {

absl::StatusOr<v1::ValidateCertificateResponse> EvaluateOffline(const std::string& policy_dir,
                                                                const v1::ValidateCertificateRequest& request,
                                                                absl::Time at) {
  policy::LoadResult loaded = policy::LoadRegistry(policy_dir, absl::Now());
  if (!loaded.ok()) return absl::InvalidArgumentError(loaded.ErrorSummary());
  v1::ValidateCertificateResponse response;
  absl::Status status = core::EvaluateInRegistry(loaded.registry.get(), request.policy_id(),
                                                 core::ToEvaluationInput(request), at, &response);
  if (!status.ok()) return status;
  return response;
}

}  // namespace certguard::client
