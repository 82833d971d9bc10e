// certguard.v1.CertificateValidator over gRPC's callback API: validates the request's size and
// hands it to the DecisionEngine (registry snapshot, verdict cache, evaluator).
#ifndef CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_
#define CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_

#include <cstddef>

#include "certguard/v1/validator.grpc.pb.h"
#include "server/service/decision_engine.h"

namespace certguard::service {

struct ValidatorOptions {
  size_t max_request_bytes = 256 * 1024;  // larger requests -> INVALID_ARGUMENT
};

class ValidatorService final : public v1::CertificateValidator::CallbackService {
 public:
  // `engine` must outlive the service.
  ValidatorService(DecisionEngine* engine, ValidatorOptions options) : engine_(engine), options_(options) {}

  grpc::ServerUnaryReactor* ValidateCertificate(grpc::CallbackServerContext* context,
                                                const v1::ValidateCertificateRequest* request,
                                                v1::ValidateCertificateResponse* response) override;

 private:
  DecisionEngine* engine_;
  ValidatorOptions options_;
};

// absl::Status -> grpc::Status with the same canonical code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The client's deadline of a call; InfiniteFuture when it set none.
absl::Time ClientDeadline(const grpc::CallbackServerContext& context);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_
