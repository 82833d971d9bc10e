// A policy file rewritten in place, in small pieces, while calls flow: the watcher must never
// publish a registry read from a file that is still being written. Every prefix of the file
// that ends before its `identity:` pin is a valid, weaker policy that would ALLOW any client of
// the CA; the test asserts that no such client is ever ALLOWed, and that the complete rewrites
// are picked up.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::certguard::testing::Y;

// The pinned policy, with `round` in its description; the pin is the last thing in the file.
std::string PolicyText(int round, const std::string& pinned_sha1) {
  std::string text = absl::StrCat("id: pinned\ndescription: round ", round, "\ntrust:\n  anchor_files: [root.pem]\n");
  for (int i = 0; i < 40; ++i) absl::StrAppend(&text, "# padding line ", i, " so that the write takes many pieces\n");
  absl::StrAppend(&text, "identity:\n  thumbprints: [", pinned_sha1, "]\n");
  return text;
}

// Rewrites `path` in place (truncate, then pieces of `piece` bytes with a short pause).
void RewriteInPieces(const std::string& path, const std::string& text, size_t piece) {
  const int fd = open(path.c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0) << path;
  for (size_t at = 0; at < text.size(); at += piece) {
    const size_t n = std::min(piece, text.size() - at);
    ASSERT_EQ(write(fd, text.data() + at, n), static_cast<ssize_t>(n));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  close(fd);
}

TEST(PartialWriteTest, APolicyFileRewrittenInPiecesNeverServesAPrefix) {
  const TestCert root =
      CertFactory::SelfSigned({.cn = "Partial Root", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
  const TestCert pinned =
      CertFactory::Issue({.cn = "pinned", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}}, root);
  const TestCert other =
      CertFactory::Issue({.cn = "other", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}}, root);
  const std::string dir = testing::MakeTempDir("partial-write");
  WriteFile(dir + "/root.pem", root.pem());
  const std::string policy_file = dir + "/pinned.yaml";
  WriteFile(policy_file, PolicyText(0, pinned.sha1_hex()));

  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir, "--watch_interval=500ms"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const v1::RegistryStatus start = testing::GetStatus(server.admin_address());

  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto request_for = [](const TestCert& cert) {
    v1::ValidateCertificateRequest r;
    r.set_policy_id("pinned");
    r.set_header_name("X-ARR-ClientCert");
    r.set_header_value(cert.base64_der());
    return r;
  };
  const v1::ValidateCertificateRequest other_request = request_for(other);
  const v1::ValidateCertificateRequest pinned_request = request_for(pinned);
  ASSERT_EQ(testing::Call(channel, pinned_request).response.decision(), v1::ALLOW);
  ASSERT_EQ(testing::Call(channel, other_request).response.decision(), v1::DENY);

  std::atomic<bool> stop{false};
  std::atomic<int> calls{0}, other_allowed{0}, errors{0};
  std::set<std::string> revisions;
  std::thread caller([&] {
    while (!stop.load()) {
      const testing::CallResult r = testing::Call(channel, other_request);
      ++calls;
      if (!r.status.ok()) {
        ++errors;
        continue;
      }
      if (r.response.decision() == v1::ALLOW) ++other_allowed;
      revisions.insert(r.response.revision());
    }
  });

  constexpr int kRounds = 5;
  for (int round = 1; round <= kRounds; ++round) {
    RewriteInPieces(policy_file, PolicyText(round, pinned.sha1_hex()), 24);
    // Let the watcher see the finished file (two polls) and reload it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }
  stop = true;
  caller.join();

  EXPECT_GT(calls.load(), 50);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(other_allowed.load(), 0) << "a partly written policy file was served";
  // The complete rewrites were loaded: new revisions served, and the pin still holds.
  const v1::RegistryStatus end = testing::GetStatus(server.admin_address());
  EXPECT_NE(end.revision(), start.revision());
  EXPECT_GE(revisions.size(), 2u);
  EXPECT_EQ(testing::Call(channel, pinned_request).response.decision(), v1::ALLOW);
  EXPECT_EQ(testing::Call(channel, other_request).response.decision(), v1::DENY);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

}  // namespace
}  // namespace certguard
