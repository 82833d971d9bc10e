// certguard.v1.RegistryAdmin: list and inspect policies, reload, registry status.
#ifndef CERTGUARD_SERVER_GRPC_ADMIN_SERVICE_H_
#define CERTGUARD_SERVER_GRPC_ADMIN_SERVICE_H_

#include "certguard/v1/validator.grpc.pb.h"
#include "server/core/registry_reloader.h"
#include "server/policy/registry_store.h"

namespace certguard::rpc {

class AdminService final : public v1::RegistryAdmin::CallbackService {
 public:
  // Both pointers must outlive the service.
  AdminService(const policy::RegistryStore* store, core::RegistryReloader* reloader)
      : store_(store), reloader_(reloader) {}

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
  const policy::RegistryStore* store_;
  core::RegistryReloader* reloader_;
};

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_ADMIN_SERVICE_H_
