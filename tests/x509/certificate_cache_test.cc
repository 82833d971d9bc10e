// The parsed-certificate cache: hits return the very certificate parsed before, keys compare
// whole DER bytes, failures are never cached, size stays bounded, and threads share it safely.
#include "server/x509/certificate_cache.h"

#include <malloc.h>

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/cert_factory.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::MakePki;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestPki;

TEST(CertificateCacheTest, SecondParseOfTheSameBytesIsAHitOnTheSameObject) {
  TestPki pki = MakePki();
  CertificateCache cache(16);
  auto first = cache.Parse(pki.leaf.der());
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = cache.Parse(std::string(pki.leaf.der()));  // equal bytes, different buffer
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ((*second)->info().sha256_hex, pki.leaf.sha256_hex());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.size(), 1u);

  auto other = cache.Parse(pki.intermediate.der());
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->get(), first->get());
  EXPECT_EQ((*other)->info().sha256_hex, pki.intermediate.sha256_hex());
}

TEST(CertificateCacheTest, BytesThatDifferInOneBitAreADifferentKey) {
  TestPki pki = MakePki();
  // Two entries per shard: two keys always fit, even when they hash to the same shard (with one
  // per shard they did 1 time in 16, and the second evicted the first).
  CertificateCache cache(32);  // 16 shards
  ASSERT_TRUE(cache.Parse(pki.leaf.der()).ok());
  std::string flipped = pki.leaf.der();
  flipped[flipped.size() - 1] ^= 0x01;  // inside the signature: still parses, different bytes
  auto parsed = cache.Parse(flipped);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)->der(), flipped);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(CertificateCacheTest, MalformedInputIsRefusedEveryTimeAndNeverCached) {
  CertificateCache cache(16);
  for (int i = 0; i < 3; ++i) {
    auto parsed = cache.Parse("not a certificate");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(CertificateCacheTest, SizeIsBoundedAndRecentEntriesSurvive) {
  TestPki pki = MakePki();
  std::vector<TestCert> leaves;
  for (int i = 0; i < 40; ++i) {
    leaves.push_back(CertFactory::Issue({.cn = "leaf-" + std::to_string(i), .eku = {"clientAuth"}}, pki.intermediate));
  }
  CertificateCache cache(16);  // one entry per shard
  for (const TestCert& leaf : leaves) ASSERT_TRUE(cache.Parse(leaf.der()).ok());
  EXPECT_LE(cache.size(), 16u);
  EXPECT_GT(cache.size(), 0u);
  const uint64_t hits = cache.hits();
  ASSERT_TRUE(cache.Parse(leaves.back().der()).ok());  // the newest of its shard
  EXPECT_EQ(cache.hits(), hits + 1);
}

TEST(CertificateCacheTest, DisabledCacheParsesEveryTime) {
  TestPki pki = MakePki();
  CertificateCache cache(0);
  EXPECT_FALSE(cache.enabled());
  auto a = cache.Parse(pki.leaf.der());
  auto b = cache.Parse(pki.leaf.der());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CertificateCacheTest, ConcurrentParsesAgree) {
  TestPki pki = MakePki();
  const std::vector<std::string> ders = {pki.leaf.der(), pki.intermediate.der(), pki.root.der()};
  CertificateCache cache(4);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string& der = ders[(i + t) % ders.size()];
        auto parsed = cache.Parse(der);
        if (!parsed.ok() || (*parsed)->der() != der) wrong.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 16u);  // 4 rounded up to one entry per shard
  EXPECT_EQ(cache.hits() + cache.misses(), 8u * 300u);
}

}  // namespace
}  // namespace certguard::x509

namespace certguard::x509 {
namespace {

// Certificates with many SANs (the report: 6,000 of them with 600 SANs each took 1.23 GiB when
// only entries were counted).
std::vector<testing::TestCert> ManySanLeaves(int n, int sans) {
  testing::TestPki pki = testing::MakePki();
  std::vector<testing::TestCert> out;
  for (int i = 0; i < n; ++i) {
    testing::CertSpec spec{.cn = "many-" + std::to_string(i), .eku = {"clientAuth"}};
    for (int j = 0; j < sans; ++j) spec.san_dns.push_back("host-" + std::to_string(j) + ".example.com");
    out.push_back(testing::CertFactory::Issue(spec, pki.intermediate));
  }
  return out;
}

TEST(CertificateCacheBytesTest, TheByteBudgetHoldsWhateverTheEntryCount) {
  const std::vector<testing::TestCert> leaves = ManySanLeaves(64, 600);
  CertificateCache cache(/*max_entries=*/100000, /*max_bytes=*/4 << 20);
  for (const auto& leaf : leaves) ASSERT_TRUE(cache.Parse(leaf.der()).ok());
  EXPECT_LE(cache.bytes(), size_t{4} << 20);
  EXPECT_GT(cache.size(), 0u);
  EXPECT_LT(cache.size(), 64u);
}

// The estimate is not below what malloc really holds for such certificates.
TEST(CertificateCacheBytesTest, ApproximateBytesCoversTheRealHeap) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizer's allocator replaces malloc: mallinfo2 does not see its heap";
#endif
  const std::vector<testing::TestCert> leaves = ManySanLeaves(50, 600);
  std::vector<CertificatePtr> held;
  size_t estimated = 0;
  const size_t before = mallinfo2().uordblks;
  for (const auto& leaf : leaves) {
    auto cert = Certificate::FromDer(leaf.der());
    ASSERT_TRUE(cert.ok());
    estimated += (*cert)->ApproximateBytes();
    held.push_back(*std::move(cert));
  }
  const size_t real = mallinfo2().uordblks - before;
  EXPECT_GE(estimated, real) << "estimated " << estimated << ", malloc " << real;
  EXPECT_LE(estimated, 3 * real) << "estimated " << estimated << ", malloc " << real;
}

}  // namespace
}  // namespace certguard::x509
