#include "server/core/blocking_pool.h"

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace certguard::core {
namespace {

TEST(BlockingPoolTest, RunsEveryTaskOnItsOwnThreads) {
  std::atomic<int> ran{0};
  std::atomic<int> on_caller{0};
  const std::thread::id caller = std::this_thread::get_id();
  {
    BlockingPool pool(3, 100);
    EXPECT_EQ(pool.threads(), 3u);
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&] {
        if (std::this_thread::get_id() == caller) ++on_caller;
        ++ran;
      }));
    }
  }  // the destructor runs what is queued, then joins
  EXPECT_EQ(ran.load(), 50);
  EXPECT_EQ(on_caller.load(), 0);
}

TEST(BlockingPoolTest, AFullQueueRefusesInsteadOfGrowing) {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  {
    BlockingPool pool(1, 2);
    ASSERT_TRUE(pool.TrySubmit([&] {
      started.set_value();
      released.wait();  // holds the only thread
      ++ran;
    }));
    started.get_future().wait();
    EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));
    EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));
    EXPECT_FALSE(pool.TrySubmit([&] { ++ran; }));  // two are waiting already
    release.set_value();
  }
  EXPECT_EQ(ran.load(), 3);
}

TEST(BlockingPoolTest, ZeroThreadsStillMeansOne) {
  std::atomic<bool> ran{false};
  {
    BlockingPool pool(0, 1);
    EXPECT_EQ(pool.threads(), 1u);
    ASSERT_TRUE(pool.TrySubmit([&] { ran = true; }));
  }
  EXPECT_TRUE(ran.load());
}

}  // namespace
}  // namespace certguard::core
