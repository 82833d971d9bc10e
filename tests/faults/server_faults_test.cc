// Faults against the real certguard-server on port 0: abrupt kill and restart, the registry
// directory vanishing or a referenced file turning into a directory under load, and reloads
// (good, broken, good) under continuous load. Certificates are valid 1970-9999.
//
// The tests run as root in CI, so chmod 000 would not stop the server reading: unreadable
// registries are simulated by renaming the directory away and by replacing a referenced file
// with a directory, which fail for root too.
#include <signal.h>

#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

namespace fs = std::filesystem;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::WriteFile;
using ::testing::IsEmpty;
using ::testing::Not;

// Polls `condition` every 20 ms for up to `seconds`.
template <typename F>
bool Eventually(F condition, int seconds = 20) {
  for (int i = 0; i < seconds * 50; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

void ExpectNoFailures(const testing::LoadGenerator::Totals& totals) {
  EXPECT_GT(totals.ok, 0);
  EXPECT_EQ(totals.wrong_decision, 0);
  EXPECT_THAT(totals.errors, IsEmpty()) << (totals.error_messages.empty() ? "" : totals.error_messages[0]);
}

TEST(ServerFaultsTest, SigkillAndRestartServesTheSameRevisionAndDecisions) {
  const testing::FaultRegistry& registry = testing::Registry();
  const std::string dir = testing::CopyRegistry(registry.dir, "kill");
  const testing::TestCert stranger = testing::CertFactory::SelfSigned({.cn = "app.contoso.com", .eku = {"clientAuth"}});
  const std::vector<std::pair<std::string, std::string>> inputs = {{"seed", registry.leaf_header},
                                                                   {"seed", stranger.base64_der()},
                                                                   {"seed", "%%%garbage"},
                                                                   {"seed", ""},
                                                                   {"open", ""},
                                                                   {"open", registry.leaf.pem_body()}};
  auto snapshot = [&](const std::string& address) {
    std::vector<std::string> out;
    for (const auto& [policy, value] : inputs) {
      const testing::CallResult r = testing::CallOnce(address, policy, value);
      EXPECT_TRUE(r.status.ok()) << r.status.error_message();
      out.push_back(absl::StrCat(policy, " ", v1::Decision_Name(r.response.decision()), " ",
                                 v1::Reason_Name(r.response.reason()), " ", r.response.revision()));
    }
    return out;
  };

  ServerProcess first(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir});
  ASSERT_TRUE(first.WaitReady()) << first.Stderr();
  const std::string revision = testing::GetStatus(first.admin_address()).revision();
  const std::vector<std::string> before = snapshot(first.address());
  {
    testing::LoadGenerator load(first.address(), 4, registry.leaf_header);
    load.WaitForCalls(50);
    first.Signal(SIGKILL);
    EXPECT_EQ(first.Wait(), 128 + SIGKILL);
    load.Stop();
  }

  ServerProcess second(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir});
  ASSERT_TRUE(second.WaitReady()) << second.Stderr();
  EXPECT_EQ(testing::GetStatus(second.admin_address()).revision(), revision);
  EXPECT_EQ(snapshot(second.address()), before);
  EXPECT_THAT(before[0], ::testing::StartsWith("seed ALLOW OK"));
  second.Signal(SIGTERM);
  EXPECT_EQ(second.Wait(), 0);
}

TEST(ServerFaultsTest, RegistryDirectoryDeletedOrBrokenUnderLoadKeepsTheLastGoodRegistry) {
  const testing::FaultRegistry& registry = testing::Registry();
  const std::string dir = testing::CopyRegistry(registry.dir, "vanish");
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir, "--watch_interval=100ms"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const v1::RegistryStatus start = testing::GetStatus(server.admin_address());
  testing::LoadGenerator load(server.address(), 4, registry.leaf_header);
  load.WaitForCalls(50);

  // 1. The whole directory disappears (renamed away: root can read anything, not a missing dir).
  fs::rename(dir, dir + ".gone");
  server.Signal(SIGHUP);
  ASSERT_TRUE(Eventually([&] { return testing::GetStatus(server.admin_address()).reload_failures() >= 1; }))
      << server.Stderr();
  v1::RegistryStatus status = testing::GetStatus(server.admin_address());
  EXPECT_EQ(status.revision(), start.revision());
  EXPECT_THAT(status.last_error(), Not(IsEmpty()));
  const int64_t failures_after_delete = status.reload_failures();
  const int calls = load.ok_calls();
  load.WaitForCalls(calls + 100);

  // 2. It comes back with a referenced CA file replaced by a directory.
  fs::rename(dir + ".gone", dir);
  fs::remove(dir + "/ca/root.pem");
  fs::create_directories(dir + "/ca/root.pem");
  EXPECT_FALSE(testing::Reload(server.admin_address()).ok());
  ASSERT_TRUE(
      Eventually([&] { return testing::GetStatus(server.admin_address()).reload_failures() > failures_after_delete; }));
  status = testing::GetStatus(server.admin_address());
  EXPECT_EQ(status.revision(), start.revision());
  EXPECT_THAT(status.last_error(), ::testing::HasSubstr("root.pem"));
  load.WaitForCalls(load.ok_calls() + 100);

  // 3. Repaired: the watcher (or an explicit reload) serves the same content again.
  fs::remove(dir + "/ca/root.pem");
  WriteFile(dir + "/ca/root.pem", registry.root.pem());
  const v1::ReloadResponse repaired = testing::Reload(server.admin_address());
  EXPECT_TRUE(repaired.ok()) << (repaired.errors().empty() ? "" : repaired.errors(0));
  EXPECT_EQ(repaired.revision(), start.revision());  // same bytes, same revision

  const testing::LoadGenerator::Totals totals = load.Stop();
  ExpectNoFailures(totals);
  EXPECT_EQ(totals.revisions, std::set<std::string>{start.revision()});
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

// The policy directory is a symlink swapped atomically (as Kubernetes does for a ConfigMap):
// good v2, then a broken registry, then good v3, each followed by a Reload RPC.
TEST(ServerFaultsTest, ReloadGoodBrokenGoodUnderLoadNeverFailsARequest) {
  const testing::FaultRegistry& registry = testing::Registry();
  const std::string base = testing::MakeTempDir("swap");
  auto make_version = [&](const std::string& name, const std::string& policies_yaml) {
    const std::string version = testing::CopyRegistry(registry.dir, "swap-" + name);
    WriteFile(version + "/policies.yaml", policies_yaml);
    return version;
  };
  auto point_at = [&](const std::string& target) {
    const fs::path link = fs::path(base) / "current";
    const fs::path next = fs::path(base) / "current.next";
    fs::remove(next);
    fs::create_directory_symlink(target, next);
    fs::rename(next, link);  // atomic replace
  };
  const std::string v1_dir = make_version("v1", testing::PoliciesYaml());
  const std::string v2_dir = make_version("v2", testing::PoliciesYaml("    description: second revision\n"));
  const std::string broken_dir = make_version("broken", testing::PoliciesYaml() + "  - id: [broken\n");
  const std::string v3_dir = make_version("v3", testing::PoliciesYaml("    description: third revision\n"));
  point_at(v1_dir);

  ServerProcess server(ServerBinary(),
                       {"--listen=127.0.0.1:0", "--policy_dir=" + base + "/current", "--watch_interval=1h"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const std::string r1 = testing::GetStatus(server.admin_address()).revision();
  testing::LoadGenerator load(server.address(), 4, registry.leaf_header);
  load.WaitForCalls(50);

  point_at(v2_dir);
  const v1::ReloadResponse good2 = testing::Reload(server.admin_address());
  ASSERT_TRUE(good2.ok());
  const std::string r2 = good2.revision();
  EXPECT_NE(r2, r1);
  load.WaitForCalls(load.ok_calls() + 100);

  point_at(broken_dir);
  const v1::ReloadResponse broken = testing::Reload(server.admin_address());
  EXPECT_FALSE(broken.ok());
  EXPECT_THAT(broken.errors(), Not(IsEmpty()));
  EXPECT_EQ(broken.revision(), r2);
  v1::RegistryStatus status = testing::GetStatus(server.admin_address());
  EXPECT_EQ(status.revision(), r2);
  EXPECT_EQ(status.reload_failures(), 1);
  EXPECT_THAT(status.last_error(), Not(IsEmpty()));
  load.WaitForCalls(load.ok_calls() + 100);

  point_at(v3_dir);
  const v1::ReloadResponse good3 = testing::Reload(server.admin_address());
  ASSERT_TRUE(good3.ok());
  const std::string r3 = good3.revision();
  EXPECT_NE(r3, r2);
  EXPECT_NE(r3, r1);
  load.WaitForCalls(load.ok_calls() + 100);

  const testing::LoadGenerator::Totals totals = load.Stop();
  ExpectNoFailures(totals);
  // Every decision came from one of the three complete registries, never from the broken one.
  EXPECT_EQ(totals.revisions, (std::set<std::string>{r1, r2, r3}));
  status = testing::GetStatus(server.admin_address());
  EXPECT_EQ(status.revision(), r3);
  EXPECT_EQ(status.reload_failures(), 1);
  EXPECT_GE(status.reload_successes(), 2);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

}  // namespace
}  // namespace certguard
