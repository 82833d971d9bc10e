#include "server/runtime/server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/runtime/listen_address.h"

namespace certguard::runtime {
namespace {

std::string OctalMode(uint32_t mode) {
  char text[16];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode));
  return text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      service::DecisionEngine* engine,
                                                      service::RegistryReloader* reloader) {
  if (options.listen.empty()) return absl::InvalidArgumentError("no listen address");
  std::vector<ListenAddress> addresses;
  for (const std::string& text : options.listen) {
    absl::StatusOr<ListenAddress> parsed = ParseListenAddress(text);
    if (!parsed.ok()) return parsed.status();
    addresses.push_back(*std::move(parsed));
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tcp_credentials = TcpServerCredentials(options.tls);
  if (!tcp_credentials.ok()) return tcp_credentials.status();

  std::unique_ptr<Server> server(new Server());
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  engine->set_max_call_duration(options.max_call_duration);

  grpc::ServerBuilder builder;
  std::vector<int> ports(addresses.size(), 0);
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (addresses[i].is_unix) {
      if (absl::Status s = RemoveStaleSocket(addresses[i].unix_path); !s.ok()) return s;
      builder.AddListeningPort(addresses[i].address, grpc::InsecureServerCredentials(), &ports[i]);
    } else {
      builder.AddListeningPort(addresses[i].address, *tcp_credentials, &ports[i]);
    }
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

  // certguard's own health service replaces gRPC's default one (a null option disables it).
  builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
  builder.RegisterService(server->health_.get());

  if (options.revocation_threads > 0) {
    // Each thread may hold one call for a responder's whole timeout; beyond 64 waiting per
    // thread, new ones are refused (UNAVAILABLE) rather than queued without bound.
    server->blocking_ = std::make_unique<service::BlockingPool>(options.revocation_threads,
                                                                64 * options.revocation_threads);
  }
  server->validator_ = std::make_unique<service::ValidatorService>(engine, options.validator, server->blocking_.get());
  builder.RegisterService(server->validator_.get());
  if (options.admin_enabled) {
    server->admin_ = std::make_unique<service::AdminService>(&engine->store(), reloader);
    builder.RegisterService(server->admin_.get());
  }
  if (options.ext_authz_enabled) {
    server->ext_authz_ = std::make_unique<ext_authz::AuthorizationService>(engine, options.ext_authz,
                                                                           server->blocking_.get());
    builder.RegisterService(server->ext_authz_.get());
  }

  // Socket files are created by bind(); a umask keeps them from ever being wider than
  // 0660 before the chmod below sets the configured mode.
  const mode_t old_umask = umask(0117);
  server->server_ = builder.BuildAndStart();
  umask(old_umask);
  if (!server->server_) {
    return absl::UnavailableError("cannot listen on the requested address(es)");
  }
  server->SetServing(false);
  for (size_t i = 0; i < addresses.size(); ++i) {
    const ListenAddress& address = addresses[i];
    if (address.is_unix) {
      server->socket_files_.push_back(address.unix_path);
      if (chmod(address.unix_path.c_str(), static_cast<mode_t>(options.unix_socket_mode)) != 0) {
        return absl::UnavailableError(absl::StrCat("cannot set the mode of ", address.unix_path));
      }
      server->bound_.push_back(address.address);
      log::Info("listening", {{"address", address.address}, {"transport", "unix"},
                              {"mode", OctalMode(options.unix_socket_mode)}});
      continue;
    }
    if (ports[i] == 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", address.address));
    }
    const size_t colon = address.address.rfind(':');
    server->bound_.push_back(absl::StrCat(address.address.substr(0, colon), ":", ports[i]));
    log::Info("listening", {{"address", server->bound_.back()}, {"transport", "tcp"},
                            {"security", TlsModeName(options.tls)}});
  }
  return server;
}

Server::~Server() {
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
  for (const std::string& path : socket_files_) unlink(path.c_str());
}

void Server::SetServing(bool serving) {
  health_->SetServingStatus(serving);
  health_->SetServingStatus("certguard.v1.CertificateValidator", serving);
  if (admin_) health_->SetServingStatus("certguard.v1.RegistryAdmin", serving);
  if (ext_authz_) health_->SetServingStatus(ext_authz::kAuthorizationServiceName, serving);
}

void Server::Shutdown(absl::Time deadline) {
  // No early grpc_server_cancel_all_calls: it cuts every connection, and with it any call gRPC
  // has already handed (or is about to hand) to a service. gRPC's own shutdown waits for exactly
  // those calls; only the health watches would hold it, and they end here.
  health_->Shutdown();
  server_->Shutdown(absl::ToChronoTime(deadline));
  log::Debug("drained", {});
}

void Server::Wait() { server_->Wait(); }

}  // namespace certguard::runtime
