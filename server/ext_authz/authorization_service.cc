#include "server/ext_authz/authorization_service.h"

#include "server/ext_authz/authorizer.h"
#include "server/service/validator_service.h"

namespace certguard::ext_authz {

namespace {

// Answers `request` into `response` and finishes the call; with `deferred` given, a decision
// that may wait on the network is left undone (*deferred set, `response` to be cleared, the call
// still open).
void Answer(service::DecisionEngine* engine, const service::CallInfo& call, const ExtAuthzOptions& options,
            const envoy::service::auth::v3::CheckRequest& request, envoy::service::auth::v3::CheckResponse* response,
            grpc::ServerUnaryReactor* reactor, bool* deferred) {
  bool deadline_exceeded = false;
  Authorize(
      [engine, &call, &deadline_exceeded, deferred](absl::string_view policy_id,
                                                    const service::EvaluationInput& input) -> SharedDecision {
        absl::StatusOr<service::Decision> decision = engine->Decide(policy_id, input, call, deferred);
        if (!decision.ok()) {
          deadline_exceeded = absl::IsDeadlineExceeded(decision.status());
          return decision.status();
        }
        if (deferred != nullptr && *deferred) return absl::UnavailableError("deferred");  // discarded
        return std::move(decision->response);
      },
      request, options, response);
  if (deferred != nullptr && *deferred) return;
  // A caller that has given up gets no verdict (it would arrive too late to matter).
  reactor->Finish(deadline_exceeded ? grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded")
                                    : grpc::Status::OK);
}

}  // namespace

grpc::ServerUnaryReactor* AuthorizationService::Check(
    grpc::CallbackServerContext* context, const envoy::service::auth::v3::CheckRequest* request,
    envoy::service::auth::v3::CheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::string peer = context->peer();
  const absl::Time deadline = service::ClientDeadline(*context);
  bool deferred = false;
  Answer(engine_, service::CallInfo{"ext_authz", peer, deadline}, options_, *request, response, reactor,
         blocking_ != nullptr ? &deferred : nullptr);
  if (!deferred) return reactor;
  // On a blocking thread; the request and response live until the call finishes.
  response->Clear();
  service::FinishOnBlockingThread(
      blocking_, reactor,
      [engine = engine_, options = &options_, peer = std::move(peer), deadline, request, response, reactor] {
        Answer(engine, service::CallInfo{"ext_authz", peer, deadline}, *options, *request, response, reactor, nullptr);
      });
  return reactor;
}

}  // namespace certguard::ext_authz
