#include "server/grpc/authorization_service.h"

#include <string>
#include <utility>

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "google/protobuf/arena.h"
#include "server/ext_authz/authorizer.h"
#include "server/ext_authz/request_extraction.h"
#include "server/grpc/deadline.h"
#include "server/grpc/peer_identity.h"

namespace certguard::rpc {

namespace {

using envoy::service::auth::v3::CheckRequest;
using envoy::service::auth::v3::CheckResponse;

// One Check call: its reactor, its request and response on an arena (with a first block inside
// the call), and what the decision reads, all alive until gRPC is done with the call.
class CheckCall final : public grpc::ServerUnaryReactor {
 public:
  CheckCall(const ext_authz::ExtAuthzOptions* options, grpc::ByteBuffer* response_bytes)
      : options_(options), response_bytes_(response_bytes), arena_(ArenaOptions(block_, sizeof(block_))) {
    request_ = google::protobuf::Arena::CreateMessage<CheckRequest>(&arena_);
    response_ = google::protobuf::Arena::CreateMessage<CheckResponse>(&arena_);
  }
  void OnDone() override { delete this; }

  void Run(core::DecisionEngine* engine, const grpc::CallbackServerContext& context,
           const grpc::ByteBuffer& request_bytes) {
    if (const size_t size = request_bytes.Length(); size > options_->max_request_bytes) {
      ext_authz::BuildOversizeDenial(size, *options_, response_);
      Answer(grpc::Status::OK);
      return;
    }
    grpc::ByteBuffer bytes(request_bytes);  // a reference, no copy (Deserialize consumes it)
    if (!grpc::SerializationTraits<CheckRequest>::Deserialize(&bytes, request_).ok()) {
      Answer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid CheckRequest"));
      return;
    }
    if (!ext_authz::PrepareCheck(*request_, *options_, &extracted_, response_)) {
      Answer(grpc::Status::OK);
      return;
    }
    peer_ = context.peer();
    verified_peer_ = PeerIdentityOf(context);
    peer_identity_ = verified_peer_.ToString();
    call_ = core::CallInfo{"ext_authz", peer_, peer_identity_, ClientDeadline(context), &verified_peer_};
    engine->Decide(extracted_.policy_id, extracted_.input, call_, [this](absl::StatusOr<core::Decision> decided) {
      if (absl::IsDeadlineExceeded(decided.status())) {
        Answer(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded"));
        return;
      }
      ext_authz::CompleteCheck(decided.status(), decided.ok() ? decided->response.get() : nullptr, extracted_,
                               *options_, response_);
      Answer(grpc::Status::OK);
    });
  }

 private:
  static google::protobuf::ArenaOptions ArenaOptions(char* block, size_t size) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = size;
    return options;
  }

  // Sends the response (when `status` is OK) and finishes the call.
  void Answer(const grpc::Status& status) {
    if (status.ok()) {
      bool own_buffer = false;
      grpc::SerializationTraits<CheckResponse>::Serialize(*response_, response_bytes_, &own_buffer);
    }
    Finish(status);
  }

  const ext_authz::ExtAuthzOptions* const options_;
  grpc::ByteBuffer* const response_bytes_;
  alignas(8) char block_[4096];
  google::protobuf::Arena arena_;  // declared after block_: destroyed before it
  CheckRequest* request_;
  CheckResponse* response_;
  ext_authz::ExtractedRequest extracted_;
  std::string peer_;
  policy::PeerIdentity verified_peer_;
  std::string peer_identity_;
  core::CallInfo call_;
};

}  // namespace

grpc::ServerUnaryReactor* AuthorizationService::Check(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request_bytes,
                                                      grpc::ByteBuffer* response_bytes) {
  auto* call = new CheckCall(&options_, response_bytes);
  call->Run(engine_, *context, *request_bytes);
  return call;
}

}  // namespace certguard::rpc
