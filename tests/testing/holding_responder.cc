#include "tests/testing/holding_responder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/testing/raw_http.h"

namespace certguard::testing {
namespace {

constexpr absl::string_view kAnswer =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

}  // namespace

HoldingResponder::HoldingResponder() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 64) != 0 || getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::abort();
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

HoldingResponder::~HoldingResponder() {
  Release();
  stop_.store(true);
  thread_.join();
  close(listen_fd_);
}

std::string HoldingResponder::url() const { return absl::StrCat("http://127.0.0.1:", port_, "/"); }

bool HoldingResponder::WaitForRequests(int n, absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return arrived_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this, n] { return requests_ >= n; });
}

int HoldingResponder::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void HoldingResponder::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  released_ = true;
  for (int fd : held_) Answer(fd);
  held_.clear();
}

void HoldingResponder::Answer(int fd) {
  (void)!send(fd, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL);
  close(fd);
}

void HoldingResponder::Serve() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;  // the timeout only bounds how late stop_ is seen
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (!testing::ReadHttpRequest(fd)) {
      close(fd);
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_;
    arrived_.notify_all();
    if (released_) {
      Answer(fd);
    } else {
      held_.push_back(fd);
    }
  }
}

}  // namespace certguard::testing
