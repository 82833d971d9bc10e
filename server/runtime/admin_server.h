// The admin listener: certguard.v1.RegistryAdmin on a gRPC server of its own, never on the
// data-plane listeners. Its own address (--admin_listen: loopback TCP, a Unix socket with its
// file mode, or a TCP address that must then use mTLS and an identity allowlist), its own TLS
// settings, at most 16 connections, reflection only when it is loopback or a Unix socket, no
// health service.
#ifndef CERTGUARD_SERVER_RUNTIME_ADMIN_SERVER_H_
#define CERTGUARD_SERVER_RUNTIME_ADMIN_SERVER_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/registry_reloader.h"
#include "server/grpc/admin_service.h"
#include "server/policy/matchers/identity_allowlist.h"
#include "server/policy/registry_store.h"
#include "server/runtime/listeners.h"
#include "server/runtime/tls_credentials.h"

namespace certguard::runtime {

struct AdminServerOptions {
  std::string listen;  // "host:port" or "unix:/path"; empty = no admin listener
  TlsOptions tls;      // TCP only
  uint32_t unix_socket_mode = 0600;
  policy::IdentityAllowlist allow;  // empty = whoever reaches the listener
};

class AdminServer {
 public:
  // Binds and starts serving. `store` and `reloader` must outlive the server.
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(const AdminServerOptions& options,
                                                            const policy::RegistryStore* store,
                                                            core::RegistryReloader* reloader);
  ~AdminServer();

  const std::string& bound_address() const { return listeners_->bound().at(0); }
  // Stops accepting and lets calls in progress finish until `deadline`.
  void Shutdown(absl::Time deadline);

 private:
  AdminServer() = default;
  std::unique_ptr<rpc::AdminService> service_;
  std::unique_ptr<Listeners> listeners_;  // outlives server_
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_ADMIN_SERVER_H_
