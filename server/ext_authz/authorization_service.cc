#include "server/ext_authz/authorization_service.h"

#include "server/ext_authz/authorizer.h"

namespace certguard::ext_authz {

grpc::ServerUnaryReactor* AuthorizationService::Check(
    grpc::CallbackServerContext* context, const envoy::service::auth::v3::CheckRequest* request,
    envoy::service::auth::v3::CheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Authorize(
      [this](absl::string_view policy_id, const service::EvaluationInput& input,
             v1::ValidateCertificateResponse* decision) { return engine_->Decide(policy_id, input, decision); },
      *request, options_, response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace certguard::ext_authz
