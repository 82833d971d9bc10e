// The /metrics endpoint of the real server under attack (the report: a chunked POST drove RSS to
// 1.2 GiB, 12 slow-header connections blocked /metrics for good, and an unbounded accept queue
// used up the process's descriptors so new gRPC clients failed).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bounds/attack.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/raw_http.h"
#include "tests/testing/server_process.h"

namespace certguard::bounds {
namespace {

using testing::Registry;
using testing::ServerProcess;
using ::testing::StartsWith;

TEST(MetricsBoundsTest, AStreamedBodyIsNeverRead) {
  ServerProcess server(testing::ServerBinary(),
                       {"--policy_dir=" + Registry().dir, "--listen=127.0.0.1:0", "--decision_log=off"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const int64_t baseline = StatusKib(server.pid(), "VmRSS");
  const int fd = testing::ConnectTcp(server.metrics_address());
  ASSERT_GE(fd, 0);
  const std::string head = "POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  const std::string chunk = "100000\r\n" + std::string(0x100000, 'a') + "\r\n";
  int64_t sent = 0;
  for (int i = 0; i < 256; ++i) {  // up to 256 MiB, as long as the server takes it
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, 2000) <= 0) break;
    const ssize_t n = send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += n;
  }
  close(fd);
  EXPECT_LT(sent, int64_t{64} << 20) << "the server kept reading the body";
  EXPECT_LT(StatusKib(server.pid(), "VmHWM"), baseline + 16 * 1024);
}

TEST(MetricsBoundsTest, StuckConnectionsNeitherBlockScrapesNorTakeDescriptors) {
  ServerProcess server(testing::ServerBinary(),
                       {"--policy_dir=" + Registry().dir, "--listen=127.0.0.1:0", "--decision_log=off"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const int baseline_fds = OpenDescriptors(server.pid());
  std::vector<int> stuck;
  for (int i = 0; i < 200; ++i) {
    const int fd = testing::ConnectTcp(server.metrics_address());
    if (fd < 0) continue;
    (void)!send(fd, "GET /metrics HTTP/1.1\r\nX-Slow: ", 31, MSG_NOSIGNAL);
    stuck.push_back(fd);
  }
  EXPECT_THAT(testing::HttpGet(server.metrics_address(), "/metrics"), StartsWith("HTTP/1.1 200"));
  // At most the endpoint's 16 connections are held (plus what the kernel queues, which holds no
  // descriptor of the server's).
  EXPECT_LE(OpenDescriptors(server.pid()), baseline_fds + 16);
  // gRPC clients are not starved of anything.
  const testing::CallResult r = testing::CallOnce(server.address(), "seed", Registry().leaf_header);
  EXPECT_TRUE(r.status.ok()) << r.status.error_message();
  for (int fd : stuck) close(fd);
}

}  // namespace
}  // namespace certguard::bounds
