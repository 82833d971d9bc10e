#include "server/grpc/validator_service.h"

#include <string>
#include <utility>

#include <grpcpp/support/proto_buffer_writer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/core/request_conversion.h"
#include "server/core/request_view.h"
#include "server/grpc/deadline.h"
#include "server/grpc/peer_identity.h"
#include "server/grpc/shared_bytes.h"
#include "server/grpc/status.h"

namespace certguard::rpc {
namespace {

// One ValidateCertificate call: its reactor, and everything the decision reads (the request's
// bytes, the views into them, the call's facts), alive until gRPC is done with the call.
class ValidateCall final : public grpc::ServerUnaryReactor {
 public:
  explicit ValidateCall(grpc::ByteBuffer* response_bytes) : response_bytes_(response_bytes) {}
  void OnDone() override { delete this; }

  // Takes the request's bytes in one piece (gRPC's own slice when it has one, else a copy) and
  // reads them in place; false when they are not a ValidateCertificateRequest.
  bool Read(const grpc::ByteBuffer& bytes) {
    if (!bytes.TrySingleSlice(&slice_).ok() && !bytes.DumpToSingleSlice(&slice_).ok()) return false;
    if (!core::ParseRequestView(absl::string_view(reinterpret_cast<const char*>(slice_.begin()), slice_.size()),
                                &request_)) {
      return false;
    }
    input_ = core::ToEvaluationInput(request_);
    return true;
  }

  void Decide(core::DecisionEngine* engine, const grpc::CallbackServerContext& context) {
    if (request_.caller.empty()) peer_ = context.peer();
    const absl::string_view caller = request_.caller.empty() ? absl::string_view(peer_) : request_.caller;
    verified_peer_ = PeerIdentityOf(context);
    peer_identity_ = verified_peer_.ToString();
    call_ = core::CallInfo{"validator", caller, peer_identity_, ClientDeadline(context), &verified_peer_};
    engine->Decide(absl::string_view(request_.policy_id.data(), request_.policy_id.size()), input_, call_,
                   [this](absl::StatusOr<core::Decision> decision) { Answer(std::move(decision)); });
  }

 private:
  void Answer(absl::StatusOr<core::Decision> decision) {
    if (!decision.ok()) {
      Finish(ToGrpcStatus(decision.status()));
      return;
    }
    if (decision->wire != nullptr) {
      WrapSharedBytes(std::move(decision->wire), response_bytes_);
    } else {
      bool own_buffer = false;
      grpc::SerializationTraits<v1::ValidateCertificateResponse>::Serialize(*decision->response, response_bytes_,
                                                                            &own_buffer);
    }
    Finish(grpc::Status::OK);
  }

  grpc::ByteBuffer* const response_bytes_;
  grpc::Slice slice_;  // a small slice keeps its bytes inline: the views below point in here
  core::RequestView request_;
  core::EvaluationInput input_;
  std::string peer_;
  policy::PeerIdentity verified_peer_;
  std::string peer_identity_;
  core::CallInfo call_;
};

}  // namespace

grpc::ServerUnaryReactor* ValidatorService::ValidateCertificate(grpc::CallbackServerContext* context,
                                                                const grpc::ByteBuffer* request_bytes,
                                                                grpc::ByteBuffer* response_bytes) {
  auto* call = new ValidateCall(response_bytes);
  if (const size_t size = request_bytes->Length(); size > options_.max_request_bytes) {
    call->Finish(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("request of ", size, " bytes is over the limit of ", options_.max_request_bytes, " bytes")));
    return call;
  }
  if (!call->Read(*request_bytes)) {
    call->Finish(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid ValidateCertificateRequest"));
    return call;
  }
  call->Decide(engine_, *context);
  return call;
}

}  // namespace certguard::rpc
