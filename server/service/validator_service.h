// certguard.v1.CertificateValidator over gRPC's callback API: bounds the request's size before
// parsing it and hands it to the DecisionEngine (registry snapshot, verdict cache, evaluator).
// The method is registered raw (ByteBuffer in and out) so a cached verdict is sent as the
// bytes the cache encoded once, and the request is read in place (request_view.h). A decision
// that may wait on an OCSP responder runs on the BlockingPool, never on gRPC's thread.
#ifndef CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_
#define CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_

#include <cstddef>
#include <functional>

#include "certguard/v1/validator.grpc.pb.h"
#include "server/service/blocking_pool.h"
#include "server/service/decision_engine.h"

namespace certguard::service {

struct ValidatorOptions {
  size_t max_request_bytes = 256 * 1024;  // larger requests -> INVALID_ARGUMENT, before parsing
};

class ValidatorService final
    : public v1::CertificateValidator::WithRawCallbackMethod_ValidateCertificate<v1::CertificateValidator::Service> {
 public:
  // `engine` and `blocking` must outlive the service (and its calls); `blocking` null = every
  // decision on gRPC's thread.
  ValidatorService(DecisionEngine* engine, ValidatorOptions options, BlockingPool* blocking = nullptr)
      : engine_(engine), options_(options), blocking_(blocking) {}

  grpc::ServerUnaryReactor* ValidateCertificate(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;

 private:
  DecisionEngine* engine_;
  ValidatorOptions options_;
  BlockingPool* blocking_;
};

// absl::Status -> grpc::Status with the same canonical code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The client's deadline of a call; InfiniteFuture when it set none.
absl::Time ClientDeadline(const grpc::CallbackServerContext& context);

// Hands a deferred decision (`task`, which finishes the call) to `blocking`; when its queue is
// full, finishes the call UNAVAILABLE instead. Both front ends use it.
void FinishOnBlockingThread(BlockingPool* blocking, grpc::ServerUnaryReactor* reactor, std::function<void()> task);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_
