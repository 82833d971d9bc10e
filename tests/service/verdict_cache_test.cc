// Verdict cache: hits, expiry, bounded size, clearing, and concurrent use.
#include "server/service/verdict_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/testing/cert_factory.h"

namespace certguard::service {
namespace {

using ::certguard::testing::TestNow;

VerdictCache::Verdict V(const std::string& policy) {
  v1::ValidateCertificateResponse r;
  r.set_policy_id(policy);
  return VerdictCache::MakeVerdict(r);
}

TEST(VerdictCacheTest, HitUntilExpiry) {
  VerdictCache cache({.max_entries = 100, .ttl = absl::Minutes(5)});
  const absl::Time t0 = TestNow();
  cache.Insert("k", V("p"), t0, t0 + absl::Minutes(1));
  ASSERT_NE(cache.Lookup("k", t0 + absl::Seconds(59)), nullptr);
  EXPECT_EQ(cache.Lookup("k", t0 + absl::Seconds(59))->response.policy_id(), "p");
  EXPECT_EQ(cache.Lookup("k", t0 + absl::Minutes(1)), nullptr);  // natural expiry (e.g. notAfter)
  EXPECT_EQ(cache.Lookup("other", t0), nullptr);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(VerdictCacheTest, TtlCapsTheNaturalExpiry) {
  VerdictCache cache({.max_entries = 100, .ttl = absl::Seconds(10)});
  const absl::Time t0 = TestNow();
  cache.Insert("k", V("p"), t0, absl::InfiniteFuture());
  EXPECT_NE(cache.Lookup("k", t0 + absl::Seconds(9)), nullptr);
  EXPECT_EQ(cache.Lookup("k", t0 + absl::Seconds(10)), nullptr);
  cache.Insert("past", V("p"), t0, t0 - absl::Seconds(1));  // already expired: not stored
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerdictCacheTest, BoundedSizeEvictsLeastRecentlyUsed) {
  VerdictCache cache({.max_entries = 64, .ttl = absl::Hours(1)});
  const absl::Time t0 = TestNow();
  for (int i = 0; i < 1000; ++i) cache.Insert(absl::StrCat("k", i), V("p"), t0, absl::InfiniteFuture());
  EXPECT_LE(cache.size(), 64u);
  EXPECT_NE(cache.Lookup("k999", t0), nullptr);  // the newest survive
  EXPECT_EQ(cache.Lookup("k0", t0), nullptr);
}

TEST(VerdictCacheTest, ClearAndDisabled) {
  VerdictCache cache({.max_entries = 10, .ttl = absl::Hours(1)});
  cache.Insert("k", V("p"), TestNow(), absl::InfiniteFuture());
  cache.Clear();
  EXPECT_EQ(cache.Lookup("k", TestNow()), nullptr);
  VerdictCache off({.max_entries = 0, .ttl = absl::Hours(1)});
  off.Insert("k", V("p"), TestNow(), absl::InfiniteFuture());
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(off.Lookup("k", TestNow()), nullptr);
}

TEST(VerdictCacheConcurrencyTest, ManyThreadsInsertAndLookup) {
  VerdictCache cache({.max_entries = 256, .ttl = absl::Hours(1)});
  const absl::Time t0 = TestNow();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&cache, t0, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = absl::StrCat("k", (i * 7 + t) % 500);
        if (auto v = cache.Lookup(key, t0)) {
          EXPECT_EQ(v->response.policy_id(), key);
        } else {
          cache.Insert(key, V(key), t0, absl::InfiniteFuture());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 256u);
  EXPECT_GT(cache.hits(), 0u);
}

}  // namespace
}  // namespace certguard::service
