#include "server/ext_authz/authorization_service.h"

#include "google/protobuf/arena.h"
#include "server/ext_authz/authorizer.h"
#include "server/service/validator_service.h"

namespace certguard::ext_authz {

namespace {

using envoy::service::auth::v3::CheckRequest;
using envoy::service::auth::v3::CheckResponse;

// One Check call: its reactor, and its request and response on an arena (with a first block
// inside the call) that goes when gRPC is done with the call.
class CheckCall final : public grpc::ServerUnaryReactor {
 public:
  CheckCall() : arena_(Options(block_, sizeof(block_))) {
    request = google::protobuf::Arena::CreateMessage<CheckRequest>(&arena_);
    response = google::protobuf::Arena::CreateMessage<CheckResponse>(&arena_);
  }
  void OnDone() override { delete this; }

  // Sends `response` (when `status` is OK) and finishes the call.
  void Answer(const grpc::Status& status, grpc::ByteBuffer* out) {
    if (status.ok()) {
      bool own_buffer = false;
      grpc::SerializationTraits<CheckResponse>::Serialize(*response, out, &own_buffer);
    }
    Finish(status);
  }

  CheckRequest* request;
  CheckResponse* response;

 private:
  static google::protobuf::ArenaOptions Options(char* block, size_t size) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = size;
    return options;
  }
  alignas(8) char block_[4096];
  google::protobuf::Arena arena_;
};

// Answers `request` into `response`; with `deferred` given, a decision that may wait on the
// network is left undone (*deferred set, `response` to be cleared). The RPC's status otherwise.
grpc::Status Decide(service::DecisionEngine* engine, const service::CallInfo& call, const ExtAuthzOptions& options,
                    const CheckRequest& request, CheckResponse* response, bool* deferred) {
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
  // A caller that has given up gets no verdict (it would arrive too late to matter).
  return deadline_exceeded ? grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded")
                           : grpc::Status::OK;
}

}  // namespace

grpc::ServerUnaryReactor* AuthorizationService::Check(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request_bytes,
                                                      grpc::ByteBuffer* response_bytes) {
  auto* call = new CheckCall();
  if (const size_t size = request_bytes->Length(); size > options_.max_request_bytes) {
    BuildOversizeDenial(size, options_, call->response);
    call->Answer(grpc::Status::OK, response_bytes);
    return call;
  }
  grpc::ByteBuffer bytes(*request_bytes);  // a reference, no copy (Deserialize consumes it)
  if (!grpc::SerializationTraits<CheckRequest>::Deserialize(&bytes, call->request).ok()) {
    call->Answer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid CheckRequest"),
                 response_bytes);
    return call;
  }
  std::string peer = context->peer();
  const absl::Time deadline = service::ClientDeadline(*context);
  bool deferred = false;
  grpc::Status status = Decide(engine_, service::CallInfo{"ext_authz", peer, deadline}, options_, *call->request,
                               call->response, blocking_ != nullptr ? &deferred : nullptr);
  if (!deferred) {
    call->Answer(status, response_bytes);
    return call;
  }
  // On a blocking thread; the request and response live until the call finishes.
  call->response->Clear();
  service::FinishOnBlockingThread(
      blocking_, call, [engine = engine_, options = &options_, peer = std::move(peer), deadline, call, response_bytes] {
        call->Answer(Decide(engine, service::CallInfo{"ext_authz", peer, deadline}, *options, *call->request,
                            call->response, nullptr),
                     response_bytes);
      });
  return call;
}

}  // namespace certguard::ext_authz
