#include "server/service/validator_service.h"

#include <grpc/support/time.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "absl/strings/str_cat.h"
#include "server/service/evaluator.h"
#include "server/service/request_view.h"

namespace certguard::service {
namespace {

// The request's bytes in one piece: gRPC's own slice when it has one (the usual case), else a
// copy into `storage`.
bool Flatten(const grpc::ByteBuffer& bytes, grpc::Slice* storage, std::string_view* out) {
  if (!bytes.TrySingleSlice(storage).ok() && !bytes.DumpToSingleSlice(storage).ok()) return false;
  *out = std::string_view(reinterpret_cast<const char*>(storage->begin()), storage->size());
  return true;
}

void WriteResponse(const Decision& decision, grpc::ByteBuffer* out) {
  if (decision.wire != nullptr) {
    grpc::ByteBuffer bytes(decision.wire.get(), 1);  // takes a reference, copies nothing
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
  // gRPC keeps the deadline on its own (monotonic) clock; context.deadline() converts it with two
  // reads of each clock, this with one.
  const gpr_timespec raw = context.raw_deadline();
  if (raw.tv_sec == gpr_inf_future(raw.clock_type).tv_sec) return absl::InfiniteFuture();
  if (raw.clock_type == GPR_CLOCK_REALTIME) return absl::FromUnixSeconds(raw.tv_sec) + absl::Nanoseconds(raw.tv_nsec);
  const gpr_timespec left = gpr_time_sub(raw, gpr_now(raw.clock_type));
  return absl::Now() + absl::Seconds(left.tv_sec) + absl::Nanoseconds(left.tv_nsec);
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
  grpc::Slice slice;
  std::string_view wire;
  RequestView request;
  if (!Flatten(*request_bytes, &slice, &wire) || !ParseRequestView(wire, &request)) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid ValidateCertificateRequest"));
    return reactor;
  }
  const std::string peer = request.caller.empty() ? context->peer() : std::string();
  const std::string_view caller = request.caller.empty() ? std::string_view(peer) : request.caller;
  const CallInfo call{"validator", absl::string_view(caller.data(), caller.size()), ClientDeadline(*context)};
  absl::StatusOr<Decision> decision = engine_->Decide(
      absl::string_view(request.policy_id.data(), request.policy_id.size()), ToEvaluationInput(request), call);
  if (!decision.ok()) {
    reactor->Finish(ToGrpcStatus(decision.status()));
    return reactor;
  }
  WriteResponse(*decision, response_bytes);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace certguard::service
