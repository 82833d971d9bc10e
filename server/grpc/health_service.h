// grpc.health.v1.Health for the running server, in place of gRPC's default health service: the
// same Check and Watch answers (Check: NOT_FOUND for an unknown name; Watch: the current status,
// then every change, SERVICE_UNKNOWN while a name is unknown), plus Shutdown(). gRPC 1.51's
// default service keeps Watch streams open through a server shutdown, and gRPC's shutdown waits
// for every open stream, so one watcher (a kubelet, Envoy) would hold every drain for its whole
// grace period. Shutdown() sends NOT_SERVING to every watcher and then ends its stream.
// Thread-safe.
#ifndef CERTGUARD_SERVER_GRPC_HEALTH_SERVICE_H_
#define CERTGUARD_SERVER_GRPC_HEALTH_SERVICE_H_

#include <condition_variable>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace certguard::rpc {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  HealthService();  // knows "" (the server as a whole), NOT_SERVING
  // Every Watch must be done: destroy the grpc::Server that serves this first.
  ~HealthService() override;

  // Sets one name (registering it) or every known name. Ignored after Shutdown().
  void SetServingStatus(const std::string& service, bool serving);
  void SetServingStatus(bool serving);
  // Every name NOT_SERVING; every Watch, open or started later, sends NOT_SERVING (or
  // SERVICE_UNKNOWN) and then ends with UNAVAILABLE "server shutting down".
  void Shutdown();

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context, const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class WatchReactor;
  // The *Locked functions need mu_ held.
  ServingStatus StatusLocked(const std::string& service) const;
  void SetLocked(const std::string& service, ServingStatus status);
  void Unregister(WatchReactor* watch);

  // std::mutex, not absl::Mutex: Debian's abseil is not built with ThreadSanitizer, which would
  // then not see this lock (make test-tsan). Ordered before every WatchReactor's own mutex.
  std::mutex mu_;
  std::condition_variable no_watches_;
  absl::flat_hash_map<std::string, ServingStatus> statuses_;  // guarded by mu_
  absl::flat_hash_set<WatchReactor*> watches_;                // guarded by mu_
  bool shutdown_ = false;                                     // guarded by mu_
};

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_HEALTH_SERVICE_H_
