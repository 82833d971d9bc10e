// The gRPC transport's bounds, against the real server (docs/operations.md "Limits"): unfinished streams
// (memory ceiling during the attack, memory back after it), the connection caps (process and
// per peer), the idle limit, and the file-descriptor budget.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bounds/attack.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/raw_http.h"
#include "tests/testing/server_process.h"

namespace certguard::bounds {
namespace {

using testing::CallOnce;
using testing::Registry;
using testing::ServerProcess;

constexpr int64_t kMib = 1024;  // in KiB

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> flags) {
  flags.insert(flags.begin(), {"--policy_dir=" + Registry().dir, "--decision_log=off"});
  bool has_listen = false;
  for (const std::string& f : flags) has_listen |= f.rfind("--listen=", 0) == 0;
  if (!has_listen) flags.push_back("--listen=127.0.0.1:0");
  auto server = std::make_unique<ServerProcess>(testing::ServerBinary(), flags);
  EXPECT_TRUE(server->WaitReady()) << server->Stderr();
  return server;
}

bool Allowed(const testing::CallResult& r) { return r.status.ok() && r.response.decision() == v1::ALLOW; }

// A legitimate call is ALLOWed, within 50 tries 100 ms apart: an attacker's connections count
// against the caps until gRPC has closed them, a moment after the attacker left.
bool ServedAgain(const std::string& address) {
  for (int i = 0; i < 50; ++i) {
    if (Allowed(CallOnce(address, "seed", Registry().leaf_header))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// The attack of the report: many streams that announce a message just under the receive limit
// and never send its last byte, on many connections, then a disconnect without RST_STREAM.
// gRPC holds each such stream's bytes until the message completes, whatever its ResourceQuota
// (in 1.51 the quota makes it cancel streams under pressure, it does not refuse the bytes), so
// the hard bound is the caps' product: connections × streams per connection × (request limit +
// 64 KiB), times what gRPC's read buffers add (a held slice keeps the whole read buffer it came in
// alive, with other streams' bytes: measured ~5x). Here 4 × 20 × 128 KiB = 10 MiB of requests
// (~52 MiB measured), against an attacker that tries 10 connections × 100 streams × 120 KB
// (120 MB; unbounded before: ~1 MiB per stream, any number of streams).
TEST(TransportBoundsTest, UnfinishedStreamsAreBoundedByTheCapsAndMemoryReturnsAfter) {
  auto server =
      StartServer({"--max_connections_per_peer=4", "--max_concurrent_streams=20", "--max_request_bytes=65536"});
  ASSERT_TRUE(Allowed(CallOnce(server->address(), "seed", Registry().leaf_header)));
  const int64_t baseline = StatusKib(server->pid(), "VmRSS");
  ASSERT_GT(baseline, 0);

  const AttackResult attack = RunAttack(
      PortOf(server->address()),
      {"--attack", "unfinished", "--connections", "10", "--streams", "100", "--announce", "120000", "--hold", "3"});
  ASSERT_EQ(attack.exit_code, 0) << attack.output;
  EXPECT_EQ(attack.opened, 4) << attack.output;
  // The attack filled what the caps allow: 4 × 20 streams, each all but the last byte.
  EXPECT_GE(attack.bytes_sent, 4 * 20 * 100000) << attack.output;
  const int64_t peak = StatusKib(server->pid(), "VmHWM");
  EXPECT_LT(peak, baseline + 80 * kMib) << "baseline " << baseline << " KiB; " << attack.output;

  EXPECT_TRUE(ServedAgain(server->address()));
  const int64_t after = WaitForRssAtMost(server->pid(), baseline + 8 * kMib);
  EXPECT_LE(after, baseline + 8 * kMib) << "baseline " << baseline << " KiB, peak " << peak << " KiB";
}

TEST(TransportBoundsTest, ConnectionsOverTheCapAreClosedAndTheServerKeepsServing) {
  auto server = StartServer({"--max_connections=40", "--max_connections_per_peer=0"});
  const AttackResult attack =
      RunAttack(PortOf(server->address()), {"--attack", "idle", "--connections", "100", "--hold", "1"});
  ASSERT_EQ(attack.exit_code, 0) << attack.output;
  EXPECT_LE(attack.opened, 40) << attack.output;
  EXPECT_GE(attack.refused, 60) << attack.output;
  EXPECT_THAT(server->Stderr(), ::testing::HasSubstr("\"reason\":\"max_connections\""));
  const std::string metrics = testing::HttpGet(server->metrics_address(), "/metrics");
  EXPECT_THAT(metrics, ::testing::ContainsRegex("certguard_connections_refused_total ([6-9][0-9]|100)\n"));
  // The attacker gone, its slots are free again.
  EXPECT_TRUE(ServedAgain(server->address()));
}

// One peer that holds its whole share locks out only itself: a client of another peer (here
// the Unix socket) is served meanwhile.
TEST(TransportBoundsTest, OnePeerCannotTakeEveryConnection) {
  const std::string socket = ::testing::TempDir() + "/bounds-" + std::to_string(getpid()) + ".sock";
  auto server = StartServer({"--listen=127.0.0.1:0,unix:" + socket, "--max_connections_per_peer=10"});
  const int baseline_fds = OpenDescriptors(server->pid());
  const std::vector<std::string> command =
      AttackCommand(PortOf(server->address()), {"--attack", "idle", "--connections", "30", "--hold", "60"});
  ServerProcess attacker(command[0], {command.begin() + 1, command.end()});
  int fds = 0;
  for (int i = 0; i < 100 && fds < baseline_fds + 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fds = OpenDescriptors(server->pid());
  }
  ASSERT_GE(fds, baseline_fds + 10);
  EXPECT_LE(fds, baseline_fds + 10);
  EXPECT_TRUE(Allowed(CallOnce("unix:" + socket, "seed", Registry().leaf_header)));
  const testing::CallResult tcp = CallOnce(server->address(), "seed", Registry().leaf_header);
  EXPECT_EQ(tcp.status.error_code(), grpc::StatusCode::UNAVAILABLE) << tcp.status.error_message();
  EXPECT_THAT(server->Stderr(), ::testing::HasSubstr("\"reason\":\"max_connections_per_peer\""));
  attacker.Signal(SIGKILL);
  attacker.Wait();
  EXPECT_TRUE(ServedAgain(server->address()));
}

TEST(TransportBoundsTest, IdleConnectionsAreClosed) {
  auto server = StartServer({"--max_connection_idle=300ms"});
  const int baseline_fds = OpenDescriptors(server->pid());
  const AttackResult attack =
      RunAttack(PortOf(server->address()), {"--attack", "idle", "--connections", "5", "--hold", "5"});
  ASSERT_EQ(attack.exit_code, 0) << attack.output;
  // Each connection got a GOAWAY and was closed by the server, not by the attacker.
  EXPECT_EQ(attack.goaway, 5) << attack.output;
  EXPECT_EQ(attack.opened, 0) << attack.output;
  EXPECT_LE(OpenDescriptors(server->pid()), baseline_fds);
}

// The soft RLIMIT_NOFILE is raised to hold --max_connections plus the reserve.
TEST(TransportBoundsTest, DescriptorLimitHoldsTheConnectionCap) {
  auto server = StartServer({"--max_connections=3000"});
  std::ifstream limits("/proc/" + std::to_string(server->pid()) + "/limits");
  std::string line;
  int64_t soft = -1;
  while (std::getline(limits, line)) {
    if (line.rfind("Max open files", 0) == 0) soft = std::stoll(line.substr(26));
  }
  EXPECT_GE(soft, 3000 + 256);
}

}  // namespace
}  // namespace certguard::bounds
