// envoy.service.auth.v3.Authorization over gRPC's callback API: answers every Check through
// ext_authz/authorizer.h (extraction, then the server's DecisionEngine, the same one
// ValidateCertificate uses, then the CheckResponse). The RPC itself always succeeds; a refusal is
// a CheckResponse with a non-OK status (Envoy needs an answer). A caller whose deadline passed
// gets DEADLINE_EXCEEDED instead (an answer would arrive too late to matter).
//
// The method is registered raw (ByteBuffer in and out) so a request over max_request_bytes is
// refused on its wire size, before it is parsed (HEADER_TOO_LARGE), as ValidateCertificate does.
// Each call's request and response live on one protobuf Arena owned by the call's reactor.
#ifndef CERTGUARD_SERVER_GRPC_AUTHORIZATION_SERVICE_H_
#define CERTGUARD_SERVER_GRPC_AUTHORIZATION_SERVICE_H_

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "server/core/decision_engine.h"
#include "server/ext_authz/options.h"

namespace certguard::rpc {

// The gRPC service name, for health checks.
inline constexpr char kAuthorizationServiceName[] = "envoy.service.auth.v3.Authorization";

class AuthorizationService final : public envoy::service::auth::v3::Authorization::WithRawCallbackMethod_Check<
                                       envoy::service::auth::v3::Authorization::Service> {
 public:
  // `engine` must outlive the service and its calls.
  AuthorizationService(core::DecisionEngine* engine, ext_authz::ExtAuthzOptions options)
      : engine_(engine), options_(std::move(options)) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;

 private:
  core::DecisionEngine* engine_;
  const ext_authz::ExtAuthzOptions options_;
};

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_AUTHORIZATION_SERVICE_H_
