#include "server/revocation/http_post.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace certguard::revocation {
namespace {

constexpr size_t kMaxHeaderBytes = 16 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Waits for `events` on `fd` until `deadline`: OK, or DeadlineExceeded / Unavailable.
absl::Status Wait(int fd, short events, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("the deadline passed");
    pollfd p{fd, events, 0};
    const int rc = poll(&p, 1, static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(left))));
    if (rc > 0) return absl::OkStatus();
    if (rc < 0 && errno != EINTR) return absl::UnavailableError(std::strerror(errno));
  }
}

absl::StatusOr<int> Connect(const HttpPostRequest& request, absl::Time deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* results = nullptr;
  const std::string port = std::to_string(request.port);
  if (const int rc = getaddrinfo(request.host.c_str(), port.c_str(), &hints, &results); rc != 0) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", request.host, ": ", gai_strerror(rc)));
  }
  absl::Status last = absl::UnavailableError("no address");
  for (addrinfo* ai = results; ai != nullptr; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      freeaddrinfo(results);
      return fd;
    }
    if (errno == EINPROGRESS) {
      last = Wait(fd, POLLOUT, deadline);
      int error = 0;
      socklen_t length = sizeof(error);
      if (last.ok() && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
        freeaddrinfo(results);
        return fd;
      }
      if (last.ok()) last = absl::UnavailableError(absl::StrCat("connect: ", std::strerror(error)));
    } else {
      last = absl::UnavailableError(absl::StrCat("connect: ", std::strerror(errno)));
    }
    close(fd);
    if (absl::IsDeadlineExceeded(last)) break;
  }
  freeaddrinfo(results);
  return last;
}

absl::Status SendAll(int fd, absl::string_view data, absl::Time deadline) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) return absl::UnavailableError(std::strerror(errno));
    if (absl::Status s = Wait(fd, POLLOUT, deadline); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Status line and headers of `head` (without the blank line).
absl::StatusOr<HttpPostResponse> ParseHead(absl::string_view head, int64_t* content_length) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  HttpPostResponse out;
  std::vector<absl::string_view> status = absl::StrSplit(lines[0], absl::MaxSplits(' ', 2));
  if (status.size() < 2 || !absl::StartsWith(status[0], "HTTP/1.") || !absl::SimpleAtoi(status[1], &out.status)) {
    return absl::UnavailableError("the response has no HTTP status line");
  }
  *content_length = -1;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos) continue;
    if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(lines[i].substr(0, colon)), "content-length") &&
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)), content_length)) {
      return absl::UnavailableError("the response has a bad Content-Length");
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<HttpPostResponse> HttpPost(const HttpPostRequest& request, absl::Time deadline, size_t max_body_bytes) {
  absl::StatusOr<int> connected = Connect(request, deadline);
  if (!connected.ok()) return connected.status();
  Fd fd(*connected);
  const bool ipv6 = absl::StrContains(request.host, ':');
  std::string head = absl::StrCat("POST ", request.path, " HTTP/1.0\r\nHost: ", ipv6 ? "[" : "", request.host,
                                  ipv6 ? "]" : "", request.port == 80 ? "" : absl::StrCat(":", request.port),
                                  "\r\nContent-Length: ", request.body.size(), "\r\nConnection: close\r\n");
  for (const auto& [name, value] : request.headers) absl::StrAppend(&head, name, ": ", value, "\r\n");
  head += "\r\n";
  if (absl::Status s = SendAll(fd.get(), head, deadline); !s.ok()) return s;
  if (absl::Status s = SendAll(fd.get(), request.body, deadline); !s.ok()) return s;

  // Reads until the end of the connection, Content-Length, or a limit.
  std::string received;
  size_t head_end = std::string::npos;
  int64_t content_length = -1;
  HttpPostResponse response;
  char buffer[16 * 1024];
  while (true) {
    const size_t body_so_far = head_end == std::string::npos ? 0 : received.size() - head_end;
    if (content_length >= 0 && body_so_far >= static_cast<size_t>(content_length)) break;
    const ssize_t n = recv(fd.get(), buffer, sizeof(buffer), 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) return absl::UnavailableError(std::strerror(errno));
      if (absl::Status s = Wait(fd.get(), POLLIN, deadline); !s.ok()) return s;
      continue;
    }
    received.append(buffer, static_cast<size_t>(n));
    if (head_end == std::string::npos) {
      const size_t blank = received.find("\r\n\r\n");
      if (blank == std::string::npos) {
        if (received.size() > kMaxHeaderBytes) return absl::ResourceExhaustedError("response headers over 16 KiB");
        continue;
      }
      absl::StatusOr<HttpPostResponse> parsed =
          ParseHead(absl::string_view(received).substr(0, blank), &content_length);
      if (!parsed.ok()) return parsed.status();
      response = *std::move(parsed);
      head_end = blank + 4;
      if (content_length > static_cast<int64_t>(max_body_bytes)) {
        return absl::ResourceExhaustedError(absl::StrCat("a response body of ", content_length, " bytes is announced"));
      }
    }
    if (received.size() - head_end > max_body_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("the response body is over ", max_body_bytes, " bytes"));
    }
  }
  if (head_end == std::string::npos) return absl::UnavailableError("the connection closed before the response headers");
  response.body = received.substr(head_end);
  if (content_length >= 0) {
    if (response.body.size() < static_cast<size_t>(content_length)) {
      return absl::UnavailableError("the connection closed before the end of the body");
    }
    response.body.resize(static_cast<size_t>(content_length));
  }
  return response;
}

}  // namespace certguard::revocation
