#include "server/service/validator_service.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "server/service/evaluator.h"
#include "server/service/request_conversion.h"

namespace certguard::service {
namespace {

// Parses the call's request message; false when the bytes are not a valid request.
bool ParseRequest(const grpc::ByteBuffer& bytes, v1::ValidateCertificateRequest* request) {
  grpc::Slice slice;
  if (bytes.TrySingleSlice(&slice).ok()) {
    return request->ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
  }
  grpc::ByteBuffer copy(bytes);  // shares the slices; the reader consumes its own handle
  grpc::ProtoBufferReader reader(&copy);
  return request->ParseFromZeroCopyStream(&reader);
}

void WriteResponse(const Decision& decision, grpc::ByteBuffer* out) {
  if (decision.wire != nullptr) {
    grpc::Slice slice(decision.wire->data(), decision.wire->size());
    grpc::ByteBuffer bytes(&slice, 1);
    out->Swap(&bytes);
    return;
  }
  bool own_buffer = false;
  grpc::SerializationTraits<v1::ValidateCertificateResponse>::Serialize(*decision.response, out, &own_buffer);
}

}  // namespace

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

grpc::ServerUnaryReactor* ValidatorService::ValidateCertificate(grpc::CallbackServerContext* context,
                                                                const grpc::ByteBuffer* request_bytes,
                                                                grpc::ByteBuffer* response_bytes) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const size_t size = request_bytes->Length();
  if (size > options_.max_request_bytes) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 absl::StrCat("request of ", size, " bytes is over the limit of ",
                                              options_.max_request_bytes, " bytes")));
    return reactor;
  }
  alignas(8) char initial_block[2048];
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = initial_block;
  arena_options.initial_block_size = sizeof(initial_block);
  google::protobuf::Arena arena(arena_options);
  auto* request = google::protobuf::Arena::CreateMessage<v1::ValidateCertificateRequest>(&arena);
  if (!ParseRequest(*request_bytes, request)) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid ValidateCertificateRequest"));
    return reactor;
  }
  const std::string peer = request->caller().empty() ? context->peer() : std::string();
  const CallInfo call{"validator", request->caller().empty() ? absl::string_view(peer) : request->caller(),
                      ClientDeadline(*context)};
  absl::StatusOr<Decision> decision = engine_->Decide(request->policy_id(), ToEvaluationInput(*request), call);
  if (!decision.ok()) {
    reactor->Finish(ToGrpcStatus(decision.status()));
    return reactor;
  }
  WriteResponse(*decision, response_bytes);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace certguard::service
