#include "server/runtime/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace certguard::runtime {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      service::DecisionEngine* engine,
                                                      service::RegistryReloader* reloader) {
  if (options.listen.empty()) return absl::InvalidArgumentError("no listen address");
  std::unique_ptr<Server> server(new Server());
  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  std::vector<int> ports(options.listen.size(), 0);
  for (size_t i = 0; i < options.listen.size(); ++i) {
    builder.AddListeningPort(options.listen[i], grpc::InsecureServerCredentials(), &ports[i]);
  }
  // Requests are bounded by the validator's own limit (answered with INVALID_ARGUMENT);
  // gRPC's transport limit sits above it so that answer can be given.
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.validator.max_request_bytes * 4 + 4096));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_time)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_timeout)));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);

  server->validator_ = std::make_unique<service::ValidatorService>(engine, options.validator);
  builder.RegisterService(server->validator_.get());
  if (options.admin_enabled) {
    server->admin_ = std::make_unique<service::AdminService>(&engine->store(), reloader);
    builder.RegisterService(server->admin_.get());
  }
  if (options.ext_authz_enabled) {
    server->ext_authz_ = std::make_unique<ext_authz::AuthorizationService>(engine, options.ext_authz);
    builder.RegisterService(server->ext_authz_.get());
  }

  server->server_ = builder.BuildAndStart();
  if (!server->server_) {
    return absl::UnavailableError(absl::StrCat("cannot listen on the requested address(es)"));
  }
  for (size_t i = 0; i < options.listen.size(); ++i) {
    const std::string& address = options.listen[i];
    if (absl::StartsWith(address, "unix:")) {
      server->bound_.push_back(address);
      continue;
    }
    if (ports[i] == 0) {
      server->server_->Shutdown();
      return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
    }
    const size_t colon = address.rfind(':');
    server->bound_.push_back(absl::StrCat(address.substr(0, colon), ":", ports[i]));
  }
  return server;
}

Server::~Server() {
  if (server_) server_->Shutdown(std::chrono::system_clock::now());
}

void Server::SetServing(bool serving) {
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);
  health->SetServingStatus("certguard.v1.CertificateValidator", serving);
  if (admin_) health->SetServingStatus("certguard.v1.RegistryAdmin", serving);
  if (ext_authz_) health->SetServingStatus(ext_authz::kAuthorizationServiceName, serving);
}

void Server::Shutdown(absl::Time deadline) {
  SetServing(false);
  server_->Shutdown(absl::ToChronoTime(deadline));
}

void Server::Wait() { server_->Wait(); }

}  // namespace certguard::runtime
