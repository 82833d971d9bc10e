// envoy.service.auth.v3.Authorization over gRPC's callback API: answers every Check with
// Authorize() (authorizer.h) over the server's DecisionEngine, the same one ValidateCertificate uses. The RPC itself
// always succeeds; a refusal is a CheckResponse with a non-OK status (Envoy needs an answer).
#ifndef CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZATION_SERVICE_H_
#define CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZATION_SERVICE_H_

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "server/ext_authz/options.h"
#include "server/service/arena_message_allocator.h"
#include "server/service/blocking_pool.h"
#include "server/service/decision_engine.h"

namespace certguard::ext_authz {

// The gRPC service name, for health checks.
inline constexpr char kAuthorizationServiceName[] = "envoy.service.auth.v3.Authorization";

class AuthorizationService final : public envoy::service::auth::v3::Authorization::CallbackService {
 public:
  // `engine` and `blocking` must outlive the service (and its calls); `blocking` null = every
  // decision on gRPC's thread (else one that may wait on OCSP runs there, as in ValidateCertificate).
  AuthorizationService(service::DecisionEngine* engine, ExtAuthzOptions options,
                       service::BlockingPool* blocking = nullptr)
      : engine_(engine), options_(std::move(options)), blocking_(blocking) {
    SetMessageAllocatorFor_Check(&allocator_);
  }

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const envoy::service::auth::v3::CheckRequest* request,
                                  envoy::service::auth::v3::CheckResponse* response) override;

 private:
  service::DecisionEngine* engine_;
  const ExtAuthzOptions options_;
  service::BlockingPool* blocking_;
  service::ArenaMessageAllocator<envoy::service::auth::v3::CheckRequest, envoy::service::auth::v3::CheckResponse>
      allocator_;
};

}  // namespace certguard::ext_authz

#endif  // CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZATION_SERVICE_H_
