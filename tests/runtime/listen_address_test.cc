#include "server/runtime/listen_address.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"

namespace certguard::runtime {
namespace {

TEST(ListenAddressTest, Parses) {
  auto tcp = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(tcp.ok());
  EXPECT_FALSE(tcp->is_unix);
  EXPECT_TRUE(ParseListenAddress("[::1]:50051").ok());
  auto uds = ParseListenAddress("unix:/run/certguard.sock");
  ASSERT_TRUE(uds.ok());
  EXPECT_TRUE(uds->is_unix);
  EXPECT_EQ(uds->unix_path, "/run/certguard.sock");
  EXPECT_EQ(ParseListenAddress("unix:///run/x.sock")->unix_path, "/run/x.sock");
  for (const char* bad : {"", "unix:", "localhost", "host:port", "h:70000", "h:-1"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

TEST(ListenAddressTest, LocalOnlyMeansLoopbackOrUnix) {
  for (const char* local :
       {"127.0.0.1:0", "127.1.2.3:50051", "[::1]:0", "localhost:1", "LOCALHOST:1", "unix:/x.sock"}) {
    auto parsed = ParseListenAddress(local);
    ASSERT_TRUE(parsed.ok()) << local;
    EXPECT_TRUE(parsed->local_only) << local;
  }
  for (const char* reachable :
       {"0.0.0.0:50051", "[::]:0", "10.0.0.1:1", "128.0.0.1:1", "[::2]:1", "[::ffff:127.0.0.1]:1",
        "certguard.example:1", "localhost.example:1", "127.0.0.1.example:1"}) {
    auto parsed = ParseListenAddress(reachable);
    ASSERT_TRUE(parsed.ok()) << reachable;
    EXPECT_FALSE(parsed->local_only) << reachable;
  }
}

TEST(ListenAddressTest, RemovesOnlyStaleSockets) {
  const std::string dir = testing::MakeTempDir("uds");
  EXPECT_TRUE(RemoveStaleSocket(dir + "/absent.sock").ok());
  // A socket file left behind by a dead process.
  const std::string sock = dir + "/stale.sock";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
  ASSERT_TRUE(std::filesystem::exists(sock));
  EXPECT_TRUE(RemoveStaleSocket(sock).ok());
  EXPECT_FALSE(std::filesystem::exists(sock));
  // A regular file is never deleted.
  testing::WriteFile(dir + "/file", "data");
  EXPECT_TRUE(absl::IsFailedPrecondition(RemoveStaleSocket(dir + "/file")));
  EXPECT_TRUE(std::filesystem::exists(dir + "/file"));
}

}  // namespace
}  // namespace certguard::runtime
