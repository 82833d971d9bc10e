#include "tests/testing/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace certguard::testing {

int ConnectTcp(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) return -1;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads one HTTP request (headers and Content-Length body); false if the peer went away first.
bool ReadHttpRequest(int fd) {
  std::string data;
  char buffer[4096];
  size_t need = std::string::npos;
  while (need == std::string::npos || data.size() < need) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) return false;
    data.append(buffer, static_cast<size_t>(n));
    if (need != std::string::npos) continue;
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    size_t length = 0;
    for (absl::string_view key : {"Content-Length:", "content-length:"}) {
      if (const size_t at = data.find(key.data(), 0, key.size()); at != std::string::npos && at < end) {
        const size_t eol = data.find("\r\n", at);
        std::string value(data.substr(at + key.size(), eol - at - key.size()));
        (void)absl::SimpleAtoi(value, &length);
      }
    }
    need = end + 4 + length;
  }
  return true;
}

std::string ReadUntilClosed(int fd) {
  std::string out;
  char buffer[4096];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) break;
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

std::string HttpExchange(const std::string& address, const std::string& request) {
  const int fd = ConnectTcp(address);
  if (fd < 0) return "";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return "";
  }
  std::string response = ReadUntilClosed(fd);
  close(fd);
  return response;
}

std::string HttpGet(const std::string& address, const std::string& path) {
  return HttpExchange(address, absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
}

}  // namespace certguard::testing
