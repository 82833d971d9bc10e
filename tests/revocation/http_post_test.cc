// HttpPost's two bounds against hostile servers on loopback: the byte limit (reading stops at
// it) and the one deadline for the whole exchange (a server dripping bytes cannot stretch it).
#include "server/revocation/http_post.h"

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/hostile_responder.h"

namespace certguard::revocation {
namespace {

using ::testing::HasSubstr;
using testing::HostileResponder;

HttpPostRequest To(const HostileResponder& server) {
  return HttpPostRequest{"127.0.0.1", server.port(), "/", {{"Content-Type", "application/ocsp-request"}}, "req"};
}

TEST(HttpPostTest, ReadsStatusAndBody) {
  HostileResponder server(HostileResponder::Mode::kReply, absl::ZeroDuration(),
                          "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello and more");
  absl::StatusOr<HttpPostResponse> r = HttpPost(To(server), absl::Now() + absl::Seconds(30), 1024);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
}

TEST(HttpPostTest, BodyToTheEndOfTheConnectionAndTruncation) {
  HostileResponder whole(HostileResponder::Mode::kReply, absl::ZeroDuration(), "HTTP/1.0 503 Busy\r\n\r\nlater");
  absl::StatusOr<HttpPostResponse> r = HttpPost(To(whole), absl::Now() + absl::Seconds(30), 1024);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "later");
  HostileResponder cut(HostileResponder::Mode::kReply, absl::ZeroDuration(),
                       "HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nshort");
  EXPECT_TRUE(absl::IsUnavailable(HttpPost(To(cut), absl::Now() + absl::Seconds(30), 1024).status()));
  HostileResponder garbage(HostileResponder::Mode::kReply, absl::ZeroDuration(), "SSH-2.0-OpenSSH\r\n\r\n");
  EXPECT_TRUE(absl::IsUnavailable(HttpPost(To(garbage), absl::Now() + absl::Seconds(30), 1024).status()));
}

TEST(HttpPostTest, AnEndlessBodyStopsAtTheLimit) {
  HostileResponder server(HostileResponder::Mode::kEndlessBody);
  absl::StatusOr<HttpPostResponse> r = HttpPost(To(server), absl::Now() + absl::Seconds(60), 64 * 1024);
  EXPECT_TRUE(absl::IsResourceExhausted(r.status())) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr("over 65536 bytes"));
}

TEST(HttpPostTest, AHugeAnnouncedBodyIsRefusedOnItsLength) {
  HostileResponder server(HostileResponder::Mode::kHugeContentLength);
  absl::StatusOr<HttpPostResponse> r = HttpPost(To(server), absl::Now() + absl::Seconds(60), 64 * 1024);
  EXPECT_TRUE(absl::IsResourceExhausted(r.status())) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr("1073741824"));
}

// One byte every 20 ms never ends the headers; a per-read timeout never fires, the deadline does.
// The client closes after about deadline / interval bytes (25 here), not after the 10 minutes the
// server would drip.
TEST(HttpPostTest, ADrippingServerCannotStretchTheDeadline) {
  HostileResponder server(HostileResponder::Mode::kDrip, absl::Milliseconds(20));
  absl::StatusOr<HttpPostResponse> r = HttpPost(To(server), absl::Now() + absl::Milliseconds(500), 64 * 1024);
  EXPECT_TRUE(absl::IsDeadlineExceeded(r.status())) << r.status();
  EXPECT_LT(server.bytes_sent(), 2000);
}

TEST(HttpPostTest, RefusedConnectionIsUnavailable) {
  int port = 0;
  {
    HostileResponder gone(HostileResponder::Mode::kReply);
    port = gone.port();
  }
  HttpPostRequest request{"127.0.0.1", port, "/", {}, ""};
  EXPECT_TRUE(absl::IsUnavailable(HttpPost(request, absl::Now() + absl::Seconds(5), 1024).status()));
}

}  // namespace
}  // namespace certguard::revocation
