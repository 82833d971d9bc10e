// runtime/: assembles the running server: gRPC listeners (TCP plaintext/TLS/mTLS, Unix
// sockets), the data-plane services (certguard's validator, Envoy ext_authz, health,
// reflection; the admin API has a listener of its own, runtime/admin_server.h), observability (metrics endpoint,
// decision log) and their shutdown. Depends on every module below it; nothing depends on it but main.cc.
//
// Health (grpc.health.v1, grpc/health_service.h): NOT_SERVING from Start until SetServing(true)
// (main.cc calls it once the registry is loaded), NOT_SERVING again from Shutdown.
#ifndef CERTGUARD_SERVER_RUNTIME_SERVER_H_
#define CERTGUARD_SERVER_RUNTIME_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/blocking_pool.h"
#include "server/core/decision_engine.h"
#include "server/ext_authz/options.h"
#include "server/grpc/authorization_service.h"
#include "server/grpc/health_service.h"
#include "server/grpc/validator_service.h"
#include "server/runtime/listeners.h"
#include "server/runtime/memory_trimmer.h"
#include "server/runtime/reflection.h"
#include "server/runtime/tls_credentials.h"

namespace certguard::runtime {

struct ServerOptions {
  std::vector<std::string> listen;   // "host:port" (port 0 = pick one) or "unix:/path"
  TlsOptions tls;                    // applies to TCP listeners; Unix sockets stay plaintext
  uint32_t unix_socket_mode = 0660;  // permissions of Unix socket files
  rpc::ValidatorOptions validator;
  bool ext_authz_enabled = true;  // also serve envoy.service.auth.v3.Authorization/Check
  ext_authz::ExtAuthzOptions ext_authz;
  ReflectionMode reflection = ReflectionMode::kAuto;  // runtime/reflection.h
  // Transport bounds (docs/operations.md "Limits"). Durations: infinite = never.
  int max_concurrent_streams = 100;  // per connection, as Envoy's default
  absl::Duration keepalive_time = absl::Minutes(2);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  absl::Duration max_connection_idle = absl::Minutes(5);        // GOAWAY to a connection without calls
  absl::Duration max_connection_age = absl::Minutes(30);        // GOAWAY to every connection this old
  absl::Duration max_connection_age_grace = absl::Seconds(10);  // then its calls' time to finish
  absl::Duration handshake_timeout = absl::Seconds(10);         // TLS and HTTP/2 preface
  size_t grpc_memory_bytes = 64 << 20;                          // grpc::ResourceQuota; 0 = none
  ConnectionLimits connections;
  absl::Duration memory_trim_interval = absl::Seconds(5);  // runtime/memory_trimmer.h
  absl::Duration max_call_duration = absl::Seconds(5);     // server-side cap per call; infinite = none
  // Threads for decisions that may wait on an OCSP responder (core::BlockingPool, given to the
  // engine); 0 = run them on gRPC's own threads.
  size_t revocation_threads = 8;
};

class Server {
 public:
  // Builds and starts the server, health NOT_SERVING. Also sets the engine's max call
  // duration and its revocation pool (owned by the server; unset again when it is destroyed). `engine`
  // must outlive it.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options, core::DecisionEngine* engine);
  ~Server();

  // Addresses actually bound, in the order of options.listen ("127.0.0.1:41234", "unix:/x").
  const std::vector<std::string>& bound_addresses() const { return listeners_->bound(); }
  const Listeners& listeners() const { return *listeners_; }
  // Sets grpc.health.v1 status for "" and every service served.
  void SetServing(bool serving);
  // Drains: health NOT_SERVING and every health Watch ended, then gRPC's own shutdown: listeners
  // closed, GOAWAY to every client, and every call already handed to a service runs to its end
  // until `deadline`, when gRPC cancels what is left. A call that reaches the server after the
  // drain began is refused by gRPC (the client sees UNAVAILABLE, or CANCELLED when its request
  // was already on the wire, see docs/hardening.md "Fault tests"); none is ever handed to a service.
  // Returns when every call is done and every connection closed (gRPC closes idle ones itself
  // right after its GOAWAY), so an idle client does not hold the drain until `deadline`; an open
  // reflection stream does.
  void Shutdown(absl::Time deadline);
  void Wait();

 private:
  Server() = default;
  // Declared before the services and server_, so destroyed after them: a call handed to it is
  // finished by it, and gRPC's shutdown waits for that.
  core::DecisionEngine* engine_ = nullptr;
  std::unique_ptr<core::BlockingPool> blocking_;  // null when revocation_threads == 0
  std::unique_ptr<rpc::ValidatorService> validator_;
  std::unique_ptr<rpc::AuthorizationService> ext_authz_;                                 // null when disabled
  std::unique_ptr<rpc::HealthService> health_ = std::make_unique<rpc::HealthService>();  // outlives server_
  std::unique_ptr<MemoryTrimmer> trimmer_;
  std::unique_ptr<Listeners> listeners_;  // outlives server_ (its acceptors feed it)
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_SERVER_H_
