// envoy.service.auth.v3.Authorization over gRPC's callback API: answers every Check with
// Authorize() (authorizer.h) over the server's DecisionEngine, the same one ValidateCertificate uses. The RPC itself
// always succeeds; a refusal is a CheckResponse with a non-OK status (Envoy needs an answer).
//
// The method is registered raw (ByteBuffer in and out) so a request over max_request_bytes is
// refused on its wire size, before it is parsed (HEADER_TOO_LARGE), as ValidateCertificate does.
// Each call's request and response live on one protobuf Arena owned by the call's reactor.
#ifndef CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZATION_SERVICE_H_
#define CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZATION_SERVICE_H_

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "server/ext_authz/options.h"
#include "server/service/blocking_pool.h"
#include "server/service/decision_engine.h"

namespace certguard::ext_authz {

// The gRPC service name, for health checks.
inline constexpr char kAuthorizationServiceName[] = "envoy.service.auth.v3.Authorization";

class AuthorizationService final
    : public envoy::service::auth::v3::Authorization::WithRawCallbackMethod_Check<
          envoy::service::auth::v3::Authorization::Service> {
 public:
  // `engine` and `blocking` must outlive the service (and its calls); `blocking` null = every
  // decision on gRPC's thread (else one that may wait on OCSP runs there, as in ValidateCertificate).
  AuthorizationService(service::DecisionEngine* engine, ExtAuthzOptions options,
                       service::BlockingPool* blocking = nullptr)
      : engine_(engine), options_(std::move(options)), blocking_(blocking) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;

 private:
  service::DecisionEngine* engine_;
  const ExtAuthzOptions options_;
  service::BlockingPool* blocking_;
};

}  // namespace certguard::ext_authz

#endif  // CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZATION_SERVICE_H_
