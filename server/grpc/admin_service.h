// certguard.v1.RegistryAdmin: list and inspect policies, reload, registry status. Served on the
// admin listener only (runtime/admin_server.h), never beside the data plane. With a non-empty
// allowlist every call must come with a verified client certificate that it lists: none is
// UNAUTHENTICATED, an unlisted one PERMISSION_DENIED; both are logged.
#ifndef CERTGUARD_SERVER_GRPC_ADMIN_SERVICE_H_
#define CERTGUARD_SERVER_GRPC_ADMIN_SERVICE_H_

#include <optional>

#include "certguard/v1/validator.grpc.pb.h"
#include "server/core/registry_reloader.h"
#include "server/policy/matchers/identity_allowlist.h"
#include "server/policy/registry_store.h"

namespace certguard::rpc {

class AdminService final : public v1::RegistryAdmin::CallbackService {
 public:
  // Both pointers must outlive the service.
  AdminService(const policy::RegistryStore* store, core::RegistryReloader* reloader,
               policy::IdentityAllowlist allow = {})
      : store_(store), reloader_(reloader), allow_(std::move(allow)) {}

  grpc::ServerUnaryReactor* ListPolicies(grpc::CallbackServerContext* context, const v1::ListPoliciesRequest* request,
                                         v1::ListPoliciesResponse* response) override;
  grpc::ServerUnaryReactor* GetPolicy(grpc::CallbackServerContext* context, const v1::GetPolicyRequest* request,
                                      v1::GetPolicyResponse* response) override;
  grpc::ServerUnaryReactor* Reload(grpc::CallbackServerContext* context, const v1::ReloadRequest* request,
                                   v1::ReloadResponse* response) override;
  grpc::ServerUnaryReactor* GetRegistryStatus(grpc::CallbackServerContext* context,
                                              const v1::GetRegistryStatusRequest* request,
                                              v1::RegistryStatus* response) override;

 private:
  // The refusal for this call's peer, or nullopt when it may proceed.
  std::optional<grpc::Status> Refusal(const grpc::CallbackServerContext& context, absl::string_view rpc) const;

  const policy::RegistryStore* store_;
  core::RegistryReloader* reloader_;
  const policy::IdentityAllowlist allow_;
};

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_ADMIN_SERVICE_H_
