// ShardedLruCache: limits, expiry, pools and replacement, with one shard so that every
// eviction is predictable.
#include "server/common/sharded_lru_cache.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace certguard::common {
namespace {

using Cache = ShardedLruCache<std::shared_ptr<const int>>;

std::shared_ptr<const int> V(int v) { return std::make_shared<const int>(v); }
const absl::Time kNow = absl::FromUnixSeconds(1'000'000);
const absl::Time kNever = absl::InfiniteFuture();

TEST(ShardedLruCacheTest, HitsUntilExpiryThenDropsTheEntry) {
  Cache cache({.max_entries = 4, .shards = 1});
  cache.Insert("a", V(1), 10, kNow + absl::Seconds(5));
  ASSERT_TRUE(cache.Lookup("a", kNow).has_value());
  EXPECT_EQ(**cache.Lookup("a", kNow + absl::Seconds(4)), 1);
  EXPECT_FALSE(cache.Lookup("a", kNow + absl::Seconds(5)).has_value());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(ShardedLruCacheTest, TheEntryLimitEvictsTheLeastRecentlyUsed) {
  Cache cache({.max_entries = 3, .shards = 1});
  cache.Insert("a", V(1), 1, kNever);
  cache.Insert("b", V(2), 1, kNever);
  cache.Insert("c", V(3), 1, kNever);
  ASSERT_TRUE(cache.Lookup("a", kNow).has_value());  // b is now the oldest
  cache.Insert("d", V(4), 1, kNever);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Lookup("b", kNow).has_value());
  EXPECT_TRUE(cache.Lookup("a", kNow).has_value());
  EXPECT_TRUE(cache.Lookup("d", kNow).has_value());
}

TEST(ShardedLruCacheTest, ByteBudgetsHoldAndAnOversizeEntryIsNotKept) {
  Cache cache({.max_entries = 100, .pool_bytes = {100, 0}, .shards = 1});
  for (int i = 0; i < 10; ++i) cache.Insert("k" + std::to_string(i), V(i), 30, kNever);
  EXPECT_LE(cache.bytes(), 100u);
  EXPECT_EQ(cache.size(), 3u);
  cache.Insert("huge", V(0), 101, kNever);
  EXPECT_FALSE(cache.Lookup("huge", kNow).has_value());
  EXPECT_EQ(cache.size(), 3u);
}

TEST(ShardedLruCacheTest, PoolOneNeverEvictsPoolZero) {
  Cache cache({.max_entries = 2, .pool_bytes = {1000, 1000}, .shards = 1});
  cache.Insert("allow-1", V(1), 1, kNever, 0);
  cache.Insert("allow-2", V(2), 1, kNever, 0);
  cache.Insert("deny-1", V(3), 1, kNever, 1);  // no room, and it may not push out pool 0
  EXPECT_FALSE(cache.Lookup("deny-1", kNow).has_value());
  EXPECT_TRUE(cache.Lookup("allow-1", kNow).has_value());
  EXPECT_TRUE(cache.Lookup("allow-2", kNow).has_value());
  // Pool 0 pushes out pool 1 first.
  Cache mixed({.max_entries = 2, .pool_bytes = {1000, 1000}, .shards = 1});
  mixed.Insert("allow-1", V(1), 1, kNever, 0);
  mixed.Insert("deny-1", V(2), 1, kNever, 1);
  mixed.Insert("allow-2", V(3), 1, kNever, 0);
  EXPECT_FALSE(mixed.Lookup("deny-1", kNow).has_value());
  EXPECT_TRUE(mixed.Lookup("allow-1", kNow).has_value());
  // A pool's byte budget is its own.
  Cache bytes({.max_entries = 100, .pool_bytes = {1000, 10}, .shards = 1});
  bytes.Insert("allow", V(1), 500, kNever, 0);
  for (int i = 0; i < 5; ++i) bytes.Insert("deny-" + std::to_string(i), V(i), 5, kNever, 1);
  EXPECT_TRUE(bytes.Lookup("allow", kNow).has_value());
  EXPECT_EQ(bytes.bytes(), 510u);
}

TEST(ShardedLruCacheTest, ReplacingAKeyKeepsOneEntryAndTheNewValue) {
  Cache cache({.max_entries = 4, .shards = 1});
  cache.Insert("a", V(1), 10, kNever);
  cache.Insert("a", V(2), 20, kNever);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.bytes(), 20u);
  EXPECT_EQ(**cache.Lookup("a", kNow), 2);
  // Keys are whole byte strings: a prefix or an embedded NUL is another key.
  cache.Insert(std::string("a\0b", 3), V(3), 1, kNever);
  EXPECT_EQ(**cache.Lookup("a", kNow), 2);
  EXPECT_EQ(**cache.Lookup(std::string("a\0b", 3), kNow), 3);
}

TEST(ShardedLruCacheTest, DisabledAndClear) {
  Cache off({.max_entries = 0});
  EXPECT_FALSE(off.enabled());
  off.Insert("a", V(1), 1, kNever);
  EXPECT_FALSE(off.Lookup("a", kNow).has_value());
  EXPECT_EQ(off.size(), 0u);
  Cache cache({.max_entries = 64});  // 16 shards of 4
  for (int i = 0; i < 200; ++i) cache.Insert(std::to_string(i), V(i), 1, kNever);
  EXPECT_LE(cache.size(), 64u);
  EXPECT_GT(cache.size(), 16u);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(ShardedLruCacheTest, ConcurrentInsertsAndLookupsStayBounded) {
  Cache cache({.max_entries = 32, .pool_bytes = {1 << 20, 1 << 20}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 100);
        cache.Insert(key, V(i), 16, kNever, static_cast<size_t>(i % 2));
        std::optional<std::shared_ptr<const int>> hit = cache.Lookup(key, kNow);
        if (hit.has_value()) {
          EXPECT_NE(*hit, nullptr);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(cache.size(), 32u);
  EXPECT_EQ(cache.hits() + cache.misses(), 4u * 2000u);
}

}  // namespace
}  // namespace certguard::common
