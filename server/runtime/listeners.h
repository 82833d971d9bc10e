// certguard's own listening sockets for the gRPC server. certguard binds and accepts (TCP, with
// port 0 picking a free port, and Unix sockets created with their mode), admits each connection
// through a ConnectionTable (the connection caps), and hands the admitted ones to gRPC through
// its external-connection acceptors (server_builder.h), with the TCP listeners' credentials
// (plaintext, TLS or mTLS) or plaintext for Unix sockets. A refused connection is closed at once
// (the client sees the connection reset: UNAVAILABLE) and counted. One thread accepts for all.
//
// gRPC 1.51 has no connection cap of its own (grpc.max_allowed_incoming_connections came later).
#ifndef CERTGUARD_SERVER_RUNTIME_LISTENERS_H_
#define CERTGUARD_SERVER_RUNTIME_LISTENERS_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "server/common/wake_pipe.h"
#include "server/runtime/connection_table.h"
#include "server/runtime/listen_address.h"

namespace certguard::runtime {

// The connection figures, shared with the metrics endpoint (which may outlive the listeners).
struct ConnectionCounters {
  std::atomic<uint64_t> open{0};     // as of the last accept or sweep
  std::atomic<uint64_t> refused{0};  // closed on accept by a cap
};

class Listeners {
 public:
  // Binds and listens on every address. Unix socket files get `unix_mode` (a stale socket file
  // is replaced; another kind of file is an error).
  static absl::StatusOr<std::unique_ptr<Listeners>> Bind(const std::vector<ListenAddress>& addresses,
                                                         uint32_t unix_mode);
  ~Listeners();  // Stop(), and the socket files removed

  // Registers one gRPC acceptor per listener on `builder` (call before BuildAndStart).
  void Register(grpc::ServerBuilder* builder, const std::shared_ptr<grpc::ServerCredentials>& tcp_credentials);
  // Starts accepting (call after BuildAndStart).
  void Start(ConnectionLimits limits);
  // Closes the listening sockets: new connections are refused by the kernel. Idempotent.
  void Stop();

  // Bound addresses, in the order given ("127.0.0.1:41234", "unix:/x").
  const std::vector<std::string>& bound() const { return bound_; }
  std::shared_ptr<const ConnectionCounters> counters() const { return counters_; }

 private:
  struct Listener {
    ListenAddress address;
    std::vector<int> fds;  // one per bound socket address (a host name may resolve to several)
    std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> acceptor;
  };
  Listeners() = default;
  void AcceptLoop(ConnectionLimits limits);
  void Accept(Listener& listener, int fd, ConnectionTable& table);

  std::vector<Listener> listeners_;
  std::vector<std::string> bound_;
  std::vector<std::string> socket_files_;
  WakePipe wake_;  // Stop() ends the accept loop
  std::thread thread_;
  std::shared_ptr<ConnectionCounters> counters_ = std::make_shared<ConnectionCounters>();
  bool stopped_ = false;
};

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_LISTENERS_H_
