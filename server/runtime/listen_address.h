// Listen addresses: "host:port" (TCP; port 0 picks a free port) or "unix:/path" (a Unix domain
// socket, the sidecar case). Unix sockets are always plaintext (file permissions guard them);
// TLS options apply to TCP listeners only.
#ifndef CERTGUARD_SERVER_RUNTIME_LISTEN_ADDRESS_H_
#define CERTGUARD_SERVER_RUNTIME_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::runtime {

struct ListenAddress {
  std::string address;  // as gRPC takes it
  bool is_unix = false;
  std::string unix_path;  // the socket file when is_unix
  // Reachable from this machine only: a Unix socket, or a TCP host that is 127.0.0.0/8, ::1 or
  // "localhost" (never a wildcard such as 0.0.0.0 or [::], nor a name that might resolve elsewhere).
  bool local_only = false;
};

// INVALID_ARGUMENT for an empty address, "unix:" without a path, or TCP without ":port".
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text);

// Makes `path` bindable: removes a stale socket file left by a previous run. A path that
// exists and is not a socket is FAILED_PRECONDITION (never deleted).
absl::Status RemoveStaleSocket(const std::string& path);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_LISTEN_ADDRESS_H_
