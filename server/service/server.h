// Assembles and runs the gRPC server: listeners, services, health, reflection, shutdown.
#ifndef CERTGUARD_SERVER_SERVICE_SERVER_H_
#define CERTGUARD_SERVER_SERVICE_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/policy/registry_store.h"
#include "server/service/clock.h"
#include "server/service/validator_service.h"

namespace certguard::service {

struct ServerOptions {
  std::vector<std::string> listen;  // "host:port" (port 0 = pick one) or "unix:/path"
  ValidatorOptions validator;
  bool reflection = true;
  int max_concurrent_streams = 1000;
  absl::Duration keepalive_time = absl::Minutes(2);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  Clock clock = SystemClock();
};

class Server {
 public:
  // Builds and starts the server on `options.listen`; `store` must outlive it.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                       policy::RegistryStore* store);
  ~Server();

  // Addresses actually bound, in the order of options.listen ("127.0.0.1:41234", "unix:/x").
  const std::vector<std::string>& bound_addresses() const { return bound_; }
  // Sets grpc.health.v1 status for "" and every certguard service.
  void SetServing(bool serving);
  // Stops accepting, lets in-flight calls finish until `deadline`, then cancels the rest.
  void Shutdown(absl::Time deadline);
  void Wait();

 private:
  Server() = default;
  std::unique_ptr<ValidatorService> validator_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> bound_;
};

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_SERVER_H_
