#include "server/runtime/admin_server.h"

#include <grpcpp/ext/health_check_service_server_builder_option.h>

#include "server/common/log.h"
#include "server/runtime/reflection.h"

namespace certguard::runtime {
namespace {

// A handful of operators and scripts, never a fleet.
constexpr ConnectionLimits kAdminConnections{.max_connections = 16, .max_per_peer = 16};

}  // namespace

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(const AdminServerOptions& options,
                                                                const policy::RegistryStore* store,
                                                                core::RegistryReloader* reloader) {
  absl::StatusOr<ListenAddress> address = ParseListenAddress(options.listen);
  if (!address.ok()) return address.status();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = TcpServerCredentials(options.tls, "admin_");
  if (!credentials.ok()) return credentials.status();

  std::unique_ptr<AdminServer> server(new AdminServer());
  absl::StatusOr<std::unique_ptr<Listeners>> listeners = Listeners::Bind({*address}, options.unix_socket_mode);
  if (!listeners.ok()) return listeners.status();
  server->listeners_ = *std::move(listeners);

  grpc::ServerBuilder builder;
  if (!ReflectionOn(ReflectionMode::kAuto, {*address})) WithoutReflection(&builder);
  builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
  builder.SetMaxReceiveMessageSize(64 * 1024);  // admin requests are a policy id at most
  server->listeners_->Register(&builder, *credentials);
  server->service_ = std::make_unique<rpc::AdminService>(store, reloader, options.allow);
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (!server->server_) return absl::UnavailableError("cannot start the admin gRPC server");
  server->listeners_->Start(kAdminConnections);
  log::Info("admin API listening", {{"address", server->bound_address()},
                                    {"security", address->is_unix ? "unix" : TlsModeName(options.tls)},
                                    {"allowlist", options.allow.empty() ? "none" : "on"}});
  return server;
}

AdminServer::~AdminServer() {
  if (listeners_) listeners_->Stop();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

void AdminServer::Shutdown(absl::Time deadline) {
  listeners_->Stop();
  server_->Shutdown(absl::ToChronoTime(deadline));
  server_->Wait();
}

}  // namespace certguard::runtime
