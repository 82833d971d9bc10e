// Serves GET /metrics (Prometheus text format) over plain HTTP on its own port, on a thread of
// its own (cpp-httplib). Any other path is 404. Keep it on loopback or a private interface:
// it has no authentication.
#ifndef CERTGUARD_SERVER_OBSERVABILITY_METRICS_HTTP_SERVER_H_
#define CERTGUARD_SERVER_OBSERVABILITY_METRICS_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace certguard::observability {

class MetricsHttpServer {
 public:
  // Listens on `address` ("host:port", port 0 = pick one; "[::1]:port" for IPv6) and answers
  // /metrics with render(). `render` is called on the server's threads.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(const std::string& address,
                                                                   std::function<std::string()> render);
  ~MetricsHttpServer();  // stops and joins

  // "host:port" actually bound.
  const std::string& bound_address() const { return bound_; }

 private:
  MetricsHttpServer();
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::string bound_;
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_METRICS_HTTP_SERVER_H_
