#include "server/runtime/server.h"

#include <climits>
#include <cstdio>

#include <grpcpp/ext/health_check_service_server_builder_option.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/runtime/listen_address.h"
#include "server/runtime/listeners.h"
#include "server/runtime/reflection.h"

namespace certguard::runtime {
namespace {

constexpr size_t kReceiveMargin = 64 * 1024;

// Milliseconds for a channel argument; an infinite duration is INT_MAX, gRPC's "never".
int Millis(absl::Duration d) {
  if (d == absl::InfiniteDuration() || d > absl::Milliseconds(INT_MAX)) return INT_MAX;
  return static_cast<int>(absl::ToInt64Milliseconds(d));
}

std::string OctalMode(uint32_t mode) {
  char text[16];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode));
  return text;
}

// gRPC's transport bounds (docs/operations.md "Limits"): what one connection, one stream and the whole
// process may hold.
void ApplyTransportLimits(const ServerOptions& options, grpc::ServerBuilder* builder) {
  // A stream holds up to its announced message while it arrives; this is the most it may
  // announce. The margin lets the validator refuse a request a little over --max_request_bytes
  // with its own INVALID_ARGUMENT; beyond it gRPC answers RESOURCE_EXHAUSTED on the length prefix.
  builder->SetMaxReceiveMessageSize(static_cast<int>(options.validator.max_request_bytes + kReceiveMargin));
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(options.keepalive_time));
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(options.keepalive_timeout));
  builder->AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder->AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, Millis(options.max_connection_idle));
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, Millis(options.max_connection_age));
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, Millis(options.max_connection_age_grace));
  builder->AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, Millis(options.handshake_timeout));
  // BDP probing grows a connection's windows past what its streams announced; requests here are
  // a few KiB, and with it on, 4,000 unfinished streams held 2.5x the memory they hold without.
  builder->AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  if (options.grpc_memory_bytes > 0) {
    grpc::ResourceQuota quota("certguard");
    quota.Resize(options.grpc_memory_bytes);
    builder->SetResourceQuota(quota);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, core::DecisionEngine* engine) {
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
  const bool reflection = ReflectionOn(options.reflection, addresses);
  server->engine_ = engine;
  engine->set_max_call_duration(options.max_call_duration);

  absl::StatusOr<std::unique_ptr<Listeners>> listeners = Listeners::Bind(addresses, options.unix_socket_mode);
  if (!listeners.ok()) return listeners.status();
  server->listeners_ = *std::move(listeners);

  grpc::ServerBuilder builder;
  if (!reflection) WithoutReflection(&builder);
  server->listeners_->Register(&builder, *tcp_credentials);
  ApplyTransportLimits(options, &builder);

  // certguard's own health service replaces gRPC's default one (a null option disables it).
  builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
  builder.RegisterService(server->health_.get());

  if (options.revocation_threads > 0) {
    // Each thread may hold one call for a responder's whole timeout; beyond 64 waiting per
    // thread, new ones are refused (UNAVAILABLE) rather than queued without bound.
    server->blocking_ =
        std::make_unique<core::BlockingPool>(options.revocation_threads, 64 * options.revocation_threads);
  }
  engine->set_revocation_pool(server->blocking_.get());
  server->validator_ = std::make_unique<rpc::ValidatorService>(engine, options.validator);
  builder.RegisterService(server->validator_.get());
  if (options.ext_authz_enabled) {
    server->ext_authz_ = std::make_unique<rpc::AuthorizationService>(engine, options.ext_authz);
    builder.RegisterService(server->ext_authz_.get());
  }

  server->server_ = builder.BuildAndStart();
  if (!server->server_) return absl::UnavailableError("cannot start the gRPC server");
  server->SetServing(false);
  server->listeners_->Start(options.connections);
  server->trimmer_ = std::make_unique<MemoryTrimmer>(options.memory_trim_interval);
  for (size_t i = 0; i < addresses.size(); ++i) {
    const std::string& bound = server->bound_addresses()[i];
    if (addresses[i].is_unix) {
      log::Info("listening",
                {{"address", bound}, {"transport", "unix"}, {"mode", OctalMode(options.unix_socket_mode)}});
    } else {
      log::Info("listening", {{"address", bound}, {"transport", "tcp"}, {"security", TlsModeName(options.tls)}});
    }
  }
  return server;
}

Server::~Server() {
  if (listeners_) listeners_->Stop();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
  if (engine_ != nullptr) engine_->set_revocation_pool(nullptr);
}

void Server::SetServing(bool serving) {
  health_->SetServingStatus(serving);
  health_->SetServingStatus("certguard.v1.CertificateValidator", serving);
  if (ext_authz_) health_->SetServingStatus(rpc::kAuthorizationServiceName, serving);
}

void Server::Shutdown(absl::Time deadline) {
  // No early grpc_server_cancel_all_calls: it cuts every connection, and with it any call gRPC
  // has already handed (or is about to hand) to a service. gRPC's own shutdown waits for exactly
  // those calls; only the health watches would hold it, and they end here.
  health_->Shutdown();
  listeners_->Stop();
  server_->Shutdown(absl::ToChronoTime(deadline));
  log::Debug("drained", {});
}

void Server::Wait() { server_->Wait(); }

}  // namespace certguard::runtime
