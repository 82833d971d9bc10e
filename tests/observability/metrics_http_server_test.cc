// The /metrics endpoint's bounds, in process, over real sockets (tests/testing/raw_http.h):
// GET only, no request body read, header size, one deadline per request, a connection cap in
// which a scrape always finds a slot.
#include "server/observability/metrics_http_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/raw_http.h"

namespace certguard::observability {
namespace {

using ::testing::HasSubstr;
using testing::HttpExchange;
using testing::HttpGet;
using ::testing::StartsWith;

std::unique_ptr<MetricsHttpServer> Start(MetricsHttpLimits limits = {}, std::atomic<int>* renders = nullptr) {
  auto server = MetricsHttpServer::Start(
      "127.0.0.1:0",
      [renders] {
        if (renders != nullptr) ++*renders;
        return std::string("certguard_up 1\n");
      },
      limits);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

TEST(MetricsHttpServerTest, GetMetricsAndOtherPaths) {
  auto server = Start();
  const std::string ok = HttpGet(server->bound_address(), "/metrics?x=1");
  EXPECT_THAT(ok, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(ok, HasSubstr("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  EXPECT_THAT(ok, HasSubstr("\r\n\r\ncertguard_up 1\n"));
  EXPECT_THAT(HttpGet(server->bound_address(), "/other"), StartsWith("HTTP/1.1 404"));
  const std::string head = HttpExchange(server->bound_address(), "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(head, ::testing::EndsWith("\r\n\r\n"));
  EXPECT_THAT(HttpExchange(server->bound_address(), "garbage\r\n\r\n"), StartsWith("HTTP/1.1 400"));
}

TEST(MetricsHttpServerTest, OnlyGetAndNoBodyIsRead) {
  std::atomic<int> renders{0};
  auto server = Start({}, &renders);
  EXPECT_THAT(HttpExchange(server->bound_address(), "DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 405"));
  EXPECT_THAT(HttpExchange(server->bound_address(), "GET /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"),
              StartsWith("HTTP/1.1 413"));
  // A chunked POST that would never end: answered at once, its body never read into memory.
  const int fd = testing::ConnectTcp(server->bound_address());
  ASSERT_GE(fd, 0);
  const std::string head = "POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  for (int i = 0; i < 8; ++i) {
    if (send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT) <= 0) break;
  }
  EXPECT_THAT(testing::ReadUntilClosed(fd), StartsWith("HTTP/1.1 413"));
  close(fd);
  EXPECT_EQ(renders.load(), 0);
}

TEST(MetricsHttpServerTest, HeadersOverTheLimitAre431) {
  auto server = Start({.max_connections = 4, .max_header_bytes = 1024});
  const std::string big = "GET /metrics HTTP/1.1\r\nX-Pad: " + std::string(2000, 'p') + "\r\n\r\n";
  EXPECT_THAT(HttpExchange(server->bound_address(), big), StartsWith("HTTP/1.1 431"));
  const std::string endless = "GET /metrics HTTP/1.1\r\nX-Pad: " + std::string(4000, 'p');  // never ends
  EXPECT_THAT(HttpExchange(server->bound_address(), endless), StartsWith("HTTP/1.1 431"));
}

// A connection that never finishes its request is closed at the deadline (slow headers cannot
// hold a slot for good).
TEST(MetricsHttpServerTest, ASlowRequestIsClosedAtTheDeadline) {
  auto server = Start({.max_connections = 4, .max_header_bytes = 8192, .request_deadline = absl::Milliseconds(200)});
  const int fd = testing::ConnectTcp(server->bound_address());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(send(fd, "GET /met", 8, MSG_NOSIGNAL), 8);
  EXPECT_EQ(testing::ReadUntilClosed(fd), "");  // closed by the server without an answer
  close(fd);
}

// Many connections that never finish their requests: the server holds at most its cap, and a
// scrape arriving among them is answered (it takes the slot of the oldest stuck one).
TEST(MetricsHttpServerTest, AScrapeIsAnsweredAmongManyStuckConnections) {
  auto server = Start({.max_connections = 8, .max_header_bytes = 8192, .request_deadline = absl::Seconds(60)});
  std::vector<int> stuck;
  for (int i = 0; i < 40; ++i) {
    const int fd = testing::ConnectTcp(server->bound_address());
    ASSERT_GE(fd, 0);
    (void)!send(fd, "GET /metrics HTTP/1.1\r\nX-Slow: ", 31, MSG_NOSIGNAL);
    stuck.push_back(fd);
  }
  EXPECT_THAT(HttpGet(server->bound_address(), "/metrics"), StartsWith("HTTP/1.1 200"));
  // Of the 40, at most 8 - 1 are still held open by the server: the others were closed.
  int open = 0;
  for (int fd : stuck) {
    pollfd p{fd, POLLIN, 0};
    char byte;
    const bool closed = poll(&p, 1, 200) > 0 && recv(fd, &byte, 1, MSG_DONTWAIT) == 0;
    if (!closed) ++open;
  }
  EXPECT_LE(open, 8);
  for (int fd : stuck) close(fd);
}

}  // namespace
}  // namespace certguard::observability
