#include "client/bench/latency_histogram.h"

#include <bit>

namespace certguard::bench {

int LatencyHistogram::Index(uint64_t v) {
  if (v < kSub) return static_cast<int>(v);
  const int e = 63 - std::countl_zero(v);  // >= kSubBits
  return (e - kSubBits + 1) * kSub + static_cast<int>((v >> (e - kSubBits)) & (kSub - 1));
}

uint64_t LatencyHistogram::Midpoint(int index) {
  if (index < kSub) return static_cast<uint64_t>(index);
  const int e = index / kSub + kSubBits - 1;
  const uint64_t m = static_cast<uint64_t>(index % kSub);
  const uint64_t lower = (static_cast<uint64_t>(kSub) + m) << (e - kSubBits);
  return lower + ((uint64_t{1} << (e - kSubBits)) >> 1);
}

void LatencyHistogram::Record(int64_t ns) {
  const uint64_t v = ns < 0 ? 0 : static_cast<uint64_t>(ns);
  buckets_[static_cast<size_t>(Index(v))].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  int64_t prev = max_.load(std::memory_order_relaxed);
  while (static_cast<int64_t>(v) > prev &&
         !max_.compare_exchange_weak(prev, static_cast<int64_t>(v), std::memory_order_relaxed)) {
  }
}

double LatencyHistogram::mean() const {
  const uint64_t n = count();
  return n == 0 ? 0.0 : static_cast<double>(sum_.load(std::memory_order_relaxed)) / static_cast<double>(n);
}

int64_t LatencyHistogram::Quantile(double q) const {
  const uint64_t n = count();
  if (n == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(n));
  if (rank >= n) rank = n - 1;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[static_cast<size_t>(i)].load(std::memory_order_relaxed);
    if (seen > rank) {
      const int64_t mid = static_cast<int64_t>(Midpoint(i));
      return mid < max() ? mid : max();
    }
  }
  return max();
}

}  // namespace certguard::bench
