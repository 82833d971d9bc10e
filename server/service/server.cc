#include "server/service/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace certguard::service {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      policy::RegistryStore* store) {
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

  server->validator_ = std::make_unique<ValidatorService>(store, options.clock, options.validator);
  builder.RegisterService(server->validator_.get());

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
}

void Server::Shutdown(absl::Time deadline) {
  SetServing(false);
  server_->Shutdown(absl::ToChronoTime(deadline));
}

void Server::Wait() { server_->Wait(); }

}  // namespace certguard::service
