#include "server/common/tcp_listen.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace certguard {
absl::Status SocketError(absl::string_view what, absl::string_view address) {
  return absl::UnavailableError(absl::StrCat("cannot ", what, " ", address, ": ", std::strerror(errno)));
}

absl::StatusOr<int> ListenTcp(absl::string_view address, int backlog, std::vector<int>* fds) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos)
    return absl::InvalidArgumentError(absl::StrCat("'", address, "': expected host:port"));
  std::string host(address.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("'", address, "': bad port"));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* results = nullptr;
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), nullptr, &hints, &results);
  if (rc != 0) return absl::UnavailableError(absl::StrCat("cannot resolve ", address, ": ", gai_strerror(rc)));
  const size_t first = fds->size();
  int count = 0;
  for (addrinfo* ai = results; ai != nullptr; ai = ai->ai_next) ++count;
  absl::Status status = absl::OkStatus();
  for (addrinfo* ai = results; ai != nullptr && status.ok(); ai = ai->ai_next) {
    sockaddr_storage addr{};
    std::memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
    if (ai->ai_family == AF_INET) reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(static_cast<uint16_t>(port));
    if (ai->ai_family == AF_INET6)
      reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(static_cast<uint16_t>(port));
    const int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
      status = SocketError("create a socket for", address);
      break;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ai->ai_family == AF_INET6) {
      // "[::]" alone serves IPv4 too (as gRPC's own listener did); with several results each
      // family has its own socket.
      const int v6only = count > 1 ? 1 : 0;
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
    }
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), ai->ai_addrlen) != 0 || listen(fd, backlog) != 0) {
      status = SocketError("listen on", address);
      close(fd);
      break;
    }
    fds->push_back(fd);
    if (port == 0) {  // the kernel's pick, kept for the other addresses of the name
      sockaddr_storage local{};
      socklen_t length = sizeof(local);
      getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
      port = ntohs(local.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&local)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&local)->sin_port);
    }
  }
  freeaddrinfo(results);
  if (!status.ok()) {
    for (size_t i = first; i < fds->size(); ++i) close((*fds)[i]);
    fds->resize(first);
    return status;
  }
  if (fds->size() == first) return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  return port;
}

}  // namespace certguard
