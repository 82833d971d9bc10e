#include "server/runtime/connection_table.h"

#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "gtest/gtest.h"

namespace certguard::runtime {
namespace {

using Admission = ConnectionTable::Admission;

// A connected socket, as the acceptor would hand on; closed by the test when "gRPC closes" it.
int Socket() {
  int pair[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  close(pair[1]);
  return pair[0];
}

const absl::Time kStart = absl::FromUnixSeconds(1000);

TEST(ConnectionTableTest, ProcessCapRefusesUntilAConnectionCloses) {
  ConnectionTable table({.max_connections = 3, .max_per_peer = 0});
  std::vector<int> fds = {Socket(), Socket(), Socket()};
  for (int fd : fds) EXPECT_EQ(table.TryAdmit(fd, "10.0.0.1", kStart), Admission::kAdmitted);
  const int extra = Socket();
  EXPECT_EQ(table.TryAdmit(extra, "10.0.0.2", kStart), Admission::kProcessFull);
  close(fds[1]);
  // Within the sweep interval the closed one is not seen yet; after it, it is.
  EXPECT_EQ(table.TryAdmit(extra, "10.0.0.2", kStart + absl::Milliseconds(1)), Admission::kProcessFull);
  EXPECT_EQ(table.TryAdmit(extra, "10.0.0.2", kStart + absl::Seconds(1)), Admission::kAdmitted);
  EXPECT_EQ(table.open(), 3u);
  close(fds[0]);
  close(fds[2]);
  close(extra);
  table.Sweep();
  EXPECT_EQ(table.open(), 0u);
}

TEST(ConnectionTableTest, PeerCapCountsEachPeerAndFreesOnClose) {
  ConnectionTable table({.max_connections = 0, .max_per_peer = 2});
  const int a1 = Socket(), a2 = Socket(), a3 = Socket(), b1 = Socket();
  EXPECT_EQ(table.TryAdmit(a1, "a", kStart), Admission::kAdmitted);
  EXPECT_EQ(table.TryAdmit(a2, "a", kStart), Admission::kAdmitted);
  EXPECT_EQ(table.TryAdmit(a3, "a", kStart), Admission::kPeerFull);
  EXPECT_EQ(table.TryAdmit(b1, "b", kStart), Admission::kAdmitted);  // another peer is not affected
  EXPECT_EQ(table.open_from("a"), 2u);
  close(a1);
  EXPECT_EQ(table.TryAdmit(a3, "a", kStart + absl::Seconds(1)), Admission::kAdmitted);
  // Entries kept across sweeps keep their peer (they are moved, never self-assigned).
  close(b1);
  table.Sweep();
  EXPECT_EQ(table.open_from("a"), 2u);
  EXPECT_EQ(table.open_from("b"), 0u);
  close(a2);
  close(a3);
  table.Sweep();
  EXPECT_EQ(table.open_from("a"), 0u);
}

TEST(ConnectionTableTest, AReusedDescriptorNumberIsANewConnection) {
  ConnectionTable table({.max_connections = 1, .max_per_peer = 0});
  const int first = Socket();
  EXPECT_EQ(table.TryAdmit(first, "p", kStart), Admission::kAdmitted);
  close(first);
  const int second = Socket();  // the kernel hands out the lowest free number: the same one
  ASSERT_EQ(second, first);
  EXPECT_EQ(table.TryAdmit(second, "p", kStart + absl::Seconds(1)), Admission::kAdmitted);
  EXPECT_EQ(table.open(), 1u);
  close(second);
}

}  // namespace
}  // namespace certguard::runtime
