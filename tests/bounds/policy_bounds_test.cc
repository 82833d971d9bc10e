// A hostile policy file reaching the real server's reload (the report: 2 MB with 400k YAML aliases
// cost 8.4 s of CPU and 706 MiB that stayed after the failed reload, plus a 38 MB error text).
#include <signal.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bounds/attack.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/server_process.h"

namespace certguard::bounds {
namespace {

using testing::Registry;
using testing::ServerProcess;

TEST(PolicyBoundsTest, AnAliasBombIsRefusedCheaplyAndTheRegistryKeepsServing) {
  const std::string dir = testing::CopyRegistry(Registry().dir, "alias-bomb");
  ServerProcess server(testing::ServerBinary(),
                       {"--policy_dir=" + dir, "--listen=127.0.0.1:0", "--decision_log=off", "--watch_interval=0s"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const int64_t baseline = StatusKib(server.pid(), "VmRSS");
  const std::string before = testing::GetStatus(server.admin_address()).revision();

  // ~900 KB: one anchored policy with 5,000 paths and 100,000 aliases to it.
  std::string bomb = "policies:\n  - &p {id: bomb, exclusion_paths: [";
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&bomb, i ? "," : "", "/p", i);
  bomb += "]}\n";
  while (bomb.size() < 900 * 1024) bomb += "  - *p\n";
  testing::WriteFile(dir + "/bomb.yaml", bomb);
  const v1::ReloadResponse reload = testing::Reload(server.admin_address());
  EXPECT_FALSE(reload.ok());
  const std::string errors = reload.DebugString();
  EXPECT_THAT(errors, ::testing::HasSubstr("YAML aliases"));
  EXPECT_LT(errors.size(), 64u * 1024);
  // The registry that was serving still serves.
  EXPECT_EQ(testing::GetStatus(server.admin_address()).revision(), before);
  const testing::CallResult r = testing::CallOnce(server.address(), "seed", Registry().leaf_header);
  EXPECT_EQ(r.response.decision(), v1::ALLOW);
  EXPECT_LT(StatusKib(server.pid(), "VmHWM"), baseline + 32 * 1024);
}

}  // namespace
}  // namespace certguard::bounds
