// certguard.v1.CertificateValidator over gRPC's callback API: validates the request's size,
// takes the current registry snapshot and calls the evaluator.
#ifndef CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_
#define CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_

#include <cstddef>

#include "certguard/v1/validator.grpc.pb.h"
#include "server/policy/registry_store.h"
#include "server/service/clock.h"

namespace certguard::service {

struct ValidatorOptions {
  size_t max_request_bytes = 256 * 1024;  // larger requests -> INVALID_ARGUMENT
};

class ValidatorService final : public v1::CertificateValidator::CallbackService {
 public:
  // `store` must outlive the service.
  ValidatorService(const policy::RegistryStore* store, Clock clock, ValidatorOptions options)
      : store_(store), clock_(std::move(clock)), options_(options) {}

  grpc::ServerUnaryReactor* ValidateCertificate(grpc::CallbackServerContext* context,
                                                const v1::ValidateCertificateRequest* request,
                                                v1::ValidateCertificateResponse* response) override;

 private:
  const policy::RegistryStore* store_;
  Clock clock_;
  ValidatorOptions options_;
};

// absl::Status -> grpc::Status with the same canonical code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_VALIDATOR_SERVICE_H_
