#include "server/service/validator_service.h"

#include "absl/strings/str_cat.h"
#include "server/service/evaluator.h"
#include "server/service/request_conversion.h"

namespace certguard::service {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Time ClientDeadline(const grpc::CallbackServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline >= std::chrono::system_clock::time_point::max() - std::chrono::hours(24 * 365 * 100)) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

grpc::ServerUnaryReactor* ValidatorService::ValidateCertificate(
    grpc::CallbackServerContext* context, const v1::ValidateCertificateRequest* request,
    v1::ValidateCertificateResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const size_t size = request->ByteSizeLong();
  if (size > options_.max_request_bytes) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 absl::StrCat("request of ", size, " bytes is over the limit of ",
                                              options_.max_request_bytes, " bytes")));
    return reactor;
  }
  const std::string peer = request->caller().empty() ? context->peer() : std::string();
  const CallInfo call{"validator", request->caller().empty() ? absl::string_view(peer) : request->caller(),
                      ClientDeadline(*context)};
  absl::Status status = engine_->Decide(request->policy_id(), ToEvaluationInput(*request), response, call);
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace certguard::service
