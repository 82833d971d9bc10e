#include "server/observability/metrics_http_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "server/common/tcp_listen.h"

namespace certguard::observability {

struct MetricsHttpServer::Connection {
  int fd = -1;
  absl::Time deadline;
  absl::Time accepted;
  std::string in;
  std::string out;  // the answer, once the request is read
  size_t sent = 0;
  // Answer sent and write side shut: what the client still sends (an unread body would turn
  // close() into a reset that can destroy the answer in flight) is read and dropped, up to
  // kMaxDrainBytes, until it closes or the deadline.
  bool draining = false;
  size_t drained = 0;
};

namespace {

constexpr size_t kMaxDrainBytes = 256 * 1024;
constexpr int kMaxReadsPerWakeup = 16;

std::string Response(absl::string_view status, absl::string_view content_type, absl::string_view body,
                     bool head_only = false, absl::string_view extra = "") {
  return absl::StrCat("HTTP/1.1 ", status, "\r\nContent-Type: ", content_type, "\r\nContent-Length: ", body.size(),
                      "\r\n", extra, "Connection: close\r\n\r\n", head_only ? "" : body);
}

std::string Plain(absl::string_view status, absl::string_view text, absl::string_view extra = "") {
  return Response(status, "text/plain; charset=utf-8", absl::StrCat(text, "\n"), false, extra);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(const std::string& address,
                                                                            std::function<std::string()> render,
                                                                            MetricsHttpLimits limits) {
  std::unique_ptr<MetricsHttpServer> server(new MetricsHttpServer(std::move(render), limits));
  absl::StatusOr<int> port =
      ListenTcp(address.empty() || address[0] == ':' ? "0.0.0.0" + address : address, 64, &server->listen_fds_);
  if (!port.ok()) {
    if (absl::IsInvalidArgument(port.status())) {
      return absl::InvalidArgumentError(absl::StrCat("expected host:port, got '", address, "'"));
    }
    return port.status();
  }
  if (absl::Status s = server->wake_.Open(); !s.ok()) return s;
  server->bound_ = absl::StrCat(address.substr(0, address.rfind(':')), ":", *port);
  server->thread_ = std::thread([s = server.get()] { s->Loop(); });
  return server;
}

MetricsHttpServer::~MetricsHttpServer() {
  if (thread_.joinable()) {
    wake_.Wake();
    thread_.join();
  }
  for (int fd : listen_fds_) close(fd);
}

void MetricsHttpServer::Accept(int listen_fd, std::vector<Connection>& connections) {
  const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd < 0) return;
  if (connections.size() >= limits_.max_connections) {
    // The oldest connection still sending its request gives up its slot; if every slot is
    // answering, the newcomer is turned away.
    auto oldest = connections.end();
    for (auto it = connections.begin(); it != connections.end(); ++it) {
      if (it->out.empty() && (oldest == connections.end() || it->accepted < oldest->accepted)) oldest = it;
    }
    if (oldest == connections.end()) {
      close(fd);
      return;
    }
    close(oldest->fd);
    connections.erase(oldest);
  }
  const absl::Time now = absl::Now();
  connections.push_back(Connection{fd, now + limits_.request_deadline, now, {}, {}, 0});
}

std::string MetricsHttpServer::Answer(const std::string& head) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  std::vector<absl::string_view> request_line = absl::StrSplit(lines[0], ' ');
  if (request_line.size() != 3 || !absl::StartsWith(request_line[2], "HTTP/1.")) {
    return Plain("400 Bad Request", "bad request line");
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) continue;
    const absl::string_view name = absl::StripAsciiWhitespace(lines[i].substr(0, colon));
    const absl::string_view value = absl::StripAsciiWhitespace(lines[i].substr(colon + 1));
    if (absl::EqualsIgnoreCase(name, "transfer-encoding") ||
        (absl::EqualsIgnoreCase(name, "content-length") && value != "0")) {
      return Plain("413 Content Too Large", "request bodies are not accepted");
    }
  }
  const absl::string_view method = request_line[0];
  if (method != "GET" && method != "HEAD") return Plain("405 Method Not Allowed", "GET only", "Allow: GET, HEAD\r\n");
  absl::string_view path = request_line[1];
  path = path.substr(0, path.find('?'));
  if (path != "/metrics") return Plain("404 Not Found", "not found; the metrics are at /metrics");
  return Response("200 OK", "text/plain; version=0.0.4; charset=utf-8", render_(), method == "HEAD");
}

bool MetricsHttpServer::Read(Connection& c) {
  char buffer[4096];
  for (int reads = 0; reads < kMaxReadsPerWakeup; ++reads) {
    const ssize_t n = recv(c.fd, buffer, sizeof(buffer), 0);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    if (!c.out.empty()) {  // anything after the request is dropped, never buffered
      c.drained += static_cast<size_t>(n);
      if (c.drained > kMaxDrainBytes) return false;
      continue;
    }
    c.in.append(buffer, static_cast<size_t>(n));
    const size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (c.in.size() > limits_.max_header_bytes) {
        c.out = Plain("431 Request Header Fields Too Large", "request headers over the limit");
        c.in.clear();
        return true;
      }
      continue;
    }
    if (end > limits_.max_header_bytes) {
      c.out = Plain("431 Request Header Fields Too Large", "request headers over the limit");
    } else {
      c.out = Answer(c.in.substr(0, end));
    }
    c.in.clear();
    c.in.shrink_to_fit();
    return true;
  }
  return true;
}

void MetricsHttpServer::Loop() {
  std::vector<Connection> connections;
  std::vector<pollfd> polled;
  while (true) {
    const absl::Time now = absl::Now();
    // Drop connections past their deadline.
    connections.erase(std::remove_if(connections.begin(), connections.end(),
                                     [now](const Connection& c) {
                                       if (c.deadline > now) return false;
                                       close(c.fd);
                                       return true;
                                     }),
                      connections.end());
    absl::Time next = now + absl::Seconds(1);
    polled.clear();
    polled.push_back(pollfd{wake_.read_fd(), POLLIN, 0});
    for (int fd : listen_fds_) polled.push_back(pollfd{fd, POLLIN, 0});
    for (const Connection& c : connections) {
      polled.push_back(pollfd{c.fd, static_cast<short>(c.out.empty() || c.draining ? POLLIN : POLLOUT), 0});
      next = std::min(next, c.deadline);
    }
    const int timeout = static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(next - now)));
    if (poll(polled.data(), polled.size(), timeout) < 0 && errno != EINTR) return;
    if (polled[0].revents != 0) break;
    // Connections first (their indexes match `polled`), then new ones.
    std::vector<Connection> kept;
    kept.reserve(connections.size());
    for (size_t i = 0; i < connections.size(); ++i) {
      Connection& c = connections[i];
      const short revents = polled[1 + listen_fds_.size() + i].revents;
      bool keep = true;
      if ((c.out.empty() || c.draining) && (revents & (POLLIN | POLLHUP | POLLERR)) != 0) keep = Read(c);
      if (keep && !c.out.empty() && !c.draining) {
        const ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
        if (n > 0) c.sent += static_cast<size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) keep = false;
        if (c.sent == c.out.size()) {
          shutdown(c.fd, SHUT_WR);
          c.draining = true;
          c.out = " ";  // the answer is gone; keep the slot marked as answered
          c.deadline = std::min(c.deadline, absl::Now() + absl::Seconds(1));
        }
      }
      if (keep) {
        kept.push_back(std::move(c));
      } else {
        close(c.fd);
      }
    }
    connections = std::move(kept);
    for (size_t i = 0; i < listen_fds_.size(); ++i) {
      if ((polled[1 + i].revents & POLLIN) != 0) Accept(listen_fds_[i], connections);
    }
  }
  for (const Connection& c : connections) close(c.fd);
}

}  // namespace certguard::observability
