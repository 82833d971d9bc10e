// certguard.v1.CertificateValidator over gRPC's callback API: bounds the request's size before
// parsing it and hands it to the DecisionEngine (registry snapshot, verdict cache, evaluator).
// The method is registered raw (ByteBuffer in and out) so a cached verdict is sent as the
// bytes the cache encoded once, and the request is read in place (core/request_view.h).
#ifndef CERTGUARD_SERVER_GRPC_VALIDATOR_SERVICE_H_
#define CERTGUARD_SERVER_GRPC_VALIDATOR_SERVICE_H_

#include <cstddef>

#include "certguard/v1/validator.grpc.pb.h"
#include "server/core/decision_engine.h"

namespace certguard::rpc {

struct ValidatorOptions {
  size_t max_request_bytes = 256 * 1024;  // larger requests -> INVALID_ARGUMENT, before parsing
};

class ValidatorService final
    : public v1::CertificateValidator::WithRawCallbackMethod_ValidateCertificate<v1::CertificateValidator::Service> {
 public:
  // `engine` must outlive the service and its calls.
  ValidatorService(core::DecisionEngine* engine, ValidatorOptions options) : engine_(engine), options_(options) {}

  grpc::ServerUnaryReactor* ValidateCertificate(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;

 private:
  core::DecisionEngine* engine_;
  ValidatorOptions options_;
};

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_VALIDATOR_SERVICE_H_
