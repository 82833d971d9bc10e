// TCP listening sockets from "host:port" text (port 0 picks a free port; "[::1]:port" for IPv6;
// an empty host or "0.0.0.0" / "[::]" for every interface; a name such as "localhost" binds each
// address it resolves to, on one port). Sockets are non-blocking, close-on-exec, SO_REUSEADDR;
// "[::]" alone also serves IPv4. Used by the gRPC listeners and the metrics endpoint.
#ifndef CERTGUARD_SERVER_COMMON_TCP_LISTEN_H_
#define CERTGUARD_SERVER_COMMON_TCP_LISTEN_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard {

// UNAVAILABLE "cannot <what> <address>: <strerror(errno)>", for socket calls that failed.
absl::Status SocketError(absl::string_view what, absl::string_view address);

// Appends the listening sockets to `fds`; returns the port bound. InvalidArgument for bad text,
// Unavailable when it cannot resolve or bind (every socket opened is then closed).
absl::StatusOr<int> ListenTcp(absl::string_view address, int backlog, std::vector<int>* fds);

}  // namespace certguard

#endif  // CERTGUARD_SERVER_COMMON_TCP_LISTEN_H_
