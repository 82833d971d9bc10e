#include "server/ext_authz/authorization_service.h"

#include "server/ext_authz/authorizer.h"
#include "server/service/validator_service.h"

namespace certguard::ext_authz {

grpc::ServerUnaryReactor* AuthorizationService::Check(
    grpc::CallbackServerContext* context, const envoy::service::auth::v3::CheckRequest* request,
    envoy::service::auth::v3::CheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const std::string peer = context->peer();
  const service::CallInfo call{"ext_authz", peer, service::ClientDeadline(*context)};
  bool deadline_exceeded = false;
  Authorize(
      [this, &call, &deadline_exceeded](absl::string_view policy_id,
                                        const service::EvaluationInput& input) -> SharedDecision {
        absl::StatusOr<service::Decision> decision = engine_->Decide(policy_id, input, call);
        if (!decision.ok()) {
          deadline_exceeded = absl::IsDeadlineExceeded(decision.status());
          return decision.status();
        }
        return std::move(decision->response);
      },
      *request, options_, response);
  // A caller that has given up gets no verdict (it would arrive too late to matter).
  reactor->Finish(deadline_exceeded ? grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded")
                                    : grpc::Status::OK);
  return reactor;
}

}  // namespace certguard::ext_authz
