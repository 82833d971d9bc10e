#include "tests/testing/hostile_responder.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "tests/testing/raw_http.h"

namespace certguard::testing {
HostileResponder::HostileResponder(Mode mode, absl::Duration interval, std::string reply)
    : mode_(mode), interval_(interval), reply_(std::move(reply)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(listen_fd_, 64) != 0) {
    std::abort();
  }
  socklen_t length = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

HostileResponder::~HostileResponder() {
  stop_.store(true);
  thread_.join();
  close(listen_fd_);
}

std::string HostileResponder::url() const { return absl::StrCat("http://127.0.0.1:", port_, "/"); }

void HostileResponder::Serve() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;  // the timeout only bounds how late stop_ is seen
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    Handle(fd);
    close(fd);
  }
}

void HostileResponder::Handle(int fd) {
  testing::ReadHttpRequest(fd);
  auto send_all = [fd](const std::string& data) {
    return send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  };
  switch (mode_) {
    case Mode::kReply:
      send_all(reply_);
      return;
    case Mode::kHugeContentLength:
      send_all("HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 1073741824\r\n\r\n");
      [[fallthrough]];
    case Mode::kEndlessBody: {
      if (mode_ == Mode::kEndlessBody) send_all("HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\n\r\n");
      const std::string chunk(64 * 1024, '\x30');
      // Until the client stops reading and closes (send fails), or 1 GiB, or the test ends.
      for (int64_t sent = 0; sent < (int64_t{1} << 30) && !stop_.load(); sent += static_cast<int64_t>(chunk.size())) {
        pollfd p{fd, POLLOUT, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        const ssize_t n = send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0 && errno != EAGAIN) return;
        if (n > 0) bytes_sent_ += n;
      }
      return;
    }
    case Mode::kDrip: {
      send_all("HTTP/1.0 200 OK\r\n");
      // One header byte per interval, never ending the headers: at most 10 minutes of it.
      for (int i = 0; i < 600000 && !stop_.load(); ++i) {
        if (send(fd, "x", 1, MSG_NOSIGNAL) != 1) return;
        ++bytes_sent_;
        pollfd p{fd, POLLIN, 0};
        // A readable socket here means the client closed it.
        if (poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(interval_))) > 0) return;
      }
      return;
    }
  }
}

}  // namespace certguard::testing
