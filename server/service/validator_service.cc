#include "server/service/validator_service.h"

#include <grpc/support/time.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include "absl/strings/str_cat.h"
#include "server/service/evaluator.h"
#include "server/service/request_conversion.h"

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

// Decides `request` and finishes the call; with `deferred` given, a decision that may wait on the
// network is left undone (*deferred set, the call still open).
void Answer(DecisionEngine* engine, const RequestView& request, std::string_view caller, absl::Time deadline,
            grpc::ServerUnaryReactor* reactor, grpc::ByteBuffer* response_bytes, bool* deferred) {
  const CallInfo call{"validator", absl::string_view(caller.data(), caller.size()), deadline};
  absl::StatusOr<Decision> decision = engine->Decide(
      absl::string_view(request.policy_id.data(), request.policy_id.size()), ToEvaluationInput(request), call, deferred);
  if (deferred != nullptr && *deferred) return;
  if (!decision.ok()) {
    reactor->Finish(ToGrpcStatus(decision.status()));
    return;
  }
  WriteResponse(*decision, response_bytes);
  reactor->Finish(grpc::Status::OK);
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

void FinishOnBlockingThread(BlockingPool* blocking, grpc::ServerUnaryReactor* reactor, std::function<void()> task) {
  if (!blocking->TrySubmit(std::move(task))) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "too many decisions are waiting for revocation checks; retry later"));
  }
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
  std::string peer = request.caller.empty() ? context->peer() : std::string();
  const absl::Time deadline = ClientDeadline(*context);
  bool deferred = false;
  Answer(engine_, request, request.caller.empty() ? std::string_view(peer) : request.caller, deadline, reactor,
         response_bytes, blocking_ != nullptr ? &deferred : nullptr);
  if (!deferred) return reactor;
  // On a blocking thread. The task reads the request again from its own reference to the bytes
  // (a small slice keeps its bytes inline, so views into this frame's copy would not survive it).
  FinishOnBlockingThread(
      blocking_, reactor, [engine = engine_, slice, peer = std::move(peer), deadline, reactor, response_bytes] {
        RequestView again;
        if (!ParseRequestView(std::string_view(reinterpret_cast<const char*>(slice.begin()), slice.size()), &again)) {
          reactor->Finish(grpc::Status(grpc::StatusCode::INTERNAL, "the request could not be read again"));
          return;
        }
        Answer(engine, again, again.caller.empty() ? std::string_view(peer) : again.caller, deadline, reactor,
               response_bytes, nullptr);
      });
  return reactor;
}

}  // namespace certguard::service
