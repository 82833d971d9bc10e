// core::RegistryReloader: loads on its own thread, one at a time; requests made while a load
// runs are answered together by the next load; a failed load keeps the previous registry.
#include "server/core/registry_reloader.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::core {
namespace {

class RegistryReloaderTest : public ::testing::Test {
 protected:
  RegistryReloaderTest() {
    registry_.File("root.pem", testing::CertFactory::SelfSigned({.cn = "Root", .is_ca = true}).pem());
    registry_.Policy("a.yaml", "id: a\ntrust: {anchor_files: [root.pem]}\n");
  }

  testing::RegistryBuilder registry_;
  policy::RegistryStore store_;
  RegistryReloader reloader_{registry_.dir(), &store_, nullptr, SystemClock()};
};

TEST_F(RegistryReloaderTest, ReloadWaitsForItsOutcome) {
  const RegistryReloader::Outcome first = reloader_.Reload("test");
  EXPECT_TRUE(first.ok);
  EXPECT_TRUE(first.changed);
  ASSERT_NE(store_.Current(), nullptr);
  EXPECT_EQ(store_.Current()->revision(), first.revision);
  const RegistryReloader::Outcome again = reloader_.Reload("test");
  EXPECT_TRUE(again.ok);
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(reloader_.loads(), 2);
}

TEST_F(RegistryReloaderTest, RequestsMadeDuringALoadShareTheNextOne) {
  // The first request's answer runs on the reloader's thread and holds it until 20 more
  // requests are queued: those all arrive while the reloader is busy with the first.
  absl::Notification in_first_answer, queued;
  reloader_.RequestReload("first", [&](const RegistryReloader::Outcome& o) {
    EXPECT_TRUE(o.ok);
    in_first_answer.Notify();
    queued.WaitForNotification();
  });
  in_first_answer.WaitForNotification();
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0;
  std::vector<std::string> revisions;
  for (int i = 0; i < 20; ++i) {
    reloader_.RequestReload("joined", [&](const RegistryReloader::Outcome& o) {
      std::lock_guard<std::mutex> lock(mu);
      revisions.push_back(o.revision);
      ++answered;
      cv.notify_all();
    });
  }
  // A change made after the 20 asked: the load that answers them began after they asked, so
  // it sees the change.
  registry_.Policy("b.yaml", "id: b\ntrust: {anchor_files: [root.pem]}\n");
  queued.Notify();
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return answered == 20; });
  }
  EXPECT_EQ(reloader_.loads(), 2);  // one for the first request, one for the other twenty
  for (const std::string& r : revisions) EXPECT_EQ(r, revisions.front());
  ASSERT_NE(store_.Current(), nullptr);
  EXPECT_EQ(store_.Current()->policies().size(), 2u);
}

TEST_F(RegistryReloaderTest, AFailedLoadKeepsThePreviousRegistry) {
  const RegistryReloader::Outcome good = reloader_.Reload("test");
  ASSERT_TRUE(good.ok);
  registry_.Policy("c.yaml", "id: c\ntrust: {anchor_files: [missing.pem]}\n");
  const RegistryReloader::Outcome bad = reloader_.Reload("test");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.revision, good.revision);
  EXPECT_FALSE(bad.errors.empty());
  EXPECT_EQ(store_.Current()->revision(), good.revision);
  EXPECT_EQ(reloader_.failures(), 1);
  EXPECT_NE(reloader_.Status().last_error().find("missing.pem"), std::string::npos);
}

TEST_F(RegistryReloaderTest, DestructionAnswersEveryWaitingRequest) {
  std::atomic<int> answered{0};
  {
    RegistryReloader reloader(registry_.dir(), &store_, nullptr, SystemClock());
    for (int i = 0; i < 5; ++i) reloader.RequestReload("test", [&](const RegistryReloader::Outcome&) { ++answered; });
  }
  EXPECT_EQ(answered.load(), 5);
}

}  // namespace
}  // namespace certguard::core
