// Serves GET /metrics (Prometheus text format) over plain HTTP on its own port, on one thread of
// its own. Keep it on loopback or a private interface: it has no authentication.
//
// Built to be bounded against any client (docs/operations.md "Limits"), which cpp-httplib 0.11 could not be
// (no total deadline for a request's headers, an unbounded accept queue, bodies read before
// routing): one thread multiplexes at most `max_connections` connections with poll(); each must
// deliver its request line and headers (at most `max_header_bytes`) and read the answer within
// `request_deadline` of being accepted; only GET (and HEAD) is answered, a request announcing a
// body is refused without reading it, and every answer closes the connection. When all slots are
// taken, a new connection takes the slot of the oldest one still sending its headers (a scrape
// needs milliseconds, so that one is the likeliest to be stuck or hostile). Memory: at most
// max_connections × (max_header_bytes + one rendering).
#ifndef CERTGUARD_SERVER_OBSERVABILITY_METRICS_HTTP_SERVER_H_
#define CERTGUARD_SERVER_OBSERVABILITY_METRICS_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/wake_pipe.h"

namespace certguard::observability {

struct MetricsHttpLimits {
  size_t max_connections = 16;
  size_t max_header_bytes = 8 * 1024;
  absl::Duration request_deadline = absl::Seconds(5);
};

class MetricsHttpServer {
 public:
  // Listens on `address` ("host:port", port 0 = pick one; "[::1]:port" for IPv6) and answers
  // /metrics with render(), called on the server's thread.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(const std::string& address,
                                                                  std::function<std::string()> render,
                                                                  MetricsHttpLimits limits = {});
  ~MetricsHttpServer();  // stops and joins

  // "host:port" actually bound.
  const std::string& bound_address() const { return bound_; }

 private:
  struct Connection;
  MetricsHttpServer(std::function<std::string()> render, MetricsHttpLimits limits)
      : render_(std::move(render)), limits_(limits) {}
  void Loop();
  void Accept(int listen_fd, std::vector<Connection>& connections);
  // Reads what is there; false when the connection is to be closed.
  bool Read(Connection& c);
  std::string Answer(const std::string& head);

  const std::function<std::string()> render_;
  const MetricsHttpLimits limits_;
  std::vector<int> listen_fds_;
  WakePipe wake_;  // the destructor ends the loop
  std::thread thread_;
  std::string bound_;
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_METRICS_HTTP_SERVER_H_
