#include "server/runtime/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace certguard::runtime {
namespace {

bool IsLoopbackHost(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

}  // namespace

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text) {
  ListenAddress out;
  out.address = std::string(text);
  if (text.empty()) return absl::InvalidArgumentError("empty listen address");
  if (absl::StartsWith(text, "unix:")) {
    absl::string_view path = text.substr(5);
    // gRPC also accepts the URI form unix:///abs/path.
    if (absl::StartsWith(path, "//")) path.remove_prefix(2);
    if (path.empty()) return absl::InvalidArgumentError(absl::StrCat("'", text, "': no socket path"));
    out.is_unix = true;
    out.local_only = true;
    out.unix_path = std::string(path);
    return out;
  }
  const size_t colon = text.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "': expected host:port or unix:/path"));
  }
  out.local_only = IsLoopbackHost(text.substr(0, colon));
  return out;
}

absl::Status RemoveStaleSocket(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " exists and is not a socket; not removing it"));
  }
  if (unlink(path.c_str()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot remove stale socket ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace certguard::runtime
