// Change detection for hot reload, including Kubernetes ConfigMap symlink swaps.
#include "server/policy/directory_watcher.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"

namespace certguard::policy {
namespace {

namespace fs = std::filesystem;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::WriteFile;

TEST(DirectoryWatcherTest, FingerprintChangesWithContentAndReferencedFiles) {
  const std::string dir = MakeTempDir("watch");
  const std::string outside = MakeTempDir("watch-ref") + "/ca.pem";
  WriteFile(dir + "/p.yaml", "id: a\n");
  WriteFile(outside, "one");
  const std::string a = DirectoryWatcher::Fingerprint(dir, {outside});
  EXPECT_EQ(a, DirectoryWatcher::Fingerprint(dir, {outside}));
  WriteFile(dir + "/p.yaml", "id: ab\n");
  const std::string b = DirectoryWatcher::Fingerprint(dir, {outside});
  EXPECT_NE(a, b);
  WriteFile(outside, "two!");
  EXPECT_NE(b, DirectoryWatcher::Fingerprint(dir, {outside}));
  fs::remove(outside);
  EXPECT_NE(b, DirectoryWatcher::Fingerprint(dir, {outside}));
}

TEST(DirectoryWatcherTest, ConfigMapDataSymlinkSwapIsAChange) {
  const std::string dir = MakeTempDir("configmap");
  WriteFile(dir + "/..v1/p.yaml", "id: a\n");
  WriteFile(dir + "/..v2/p.yaml", "id: a\n");  // same size, different inode
  fs::create_directory_symlink("..v1", dir + "/..data");
  fs::create_symlink("..data/p.yaml", dir + "/p.yaml");
  const std::string before = DirectoryWatcher::Fingerprint(dir, {});
  // What the kubelet does: a new symlink renamed over ..data.
  fs::create_directory_symlink("..v2", dir + "/..data_tmp");
  fs::rename(dir + "/..data_tmp", dir + "/..data");
  EXPECT_NE(before, DirectoryWatcher::Fingerprint(dir, {}));
}

TEST(DirectoryWatcherTest, CallsBackOnChange) {
  const std::string dir = MakeTempDir("watch-thread");
  WriteFile(dir + "/p.yaml", "id: a\n");
  std::atomic<int> calls{0};
  DirectoryWatcher watcher(
      dir, [] { return std::vector<std::string>{}; }, [&] { ++calls; }, absl::Milliseconds(20));
  WriteFile(dir + "/q.yaml", "id: b\n");
  // Waits (bounded) for the callback; no assertion on how fast it comes.
  for (int i = 0; i < 1000 && calls.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(calls.load(), 1);
}

}  // namespace
}  // namespace certguard::policy
