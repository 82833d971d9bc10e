// A lock-free log-linear latency histogram (64 sub-buckets per power of two, < 1.6% error),
// recorded concurrently from gRPC callback threads. Values are nanoseconds.
#ifndef CERTGUARD_CLIENT_BENCH_LATENCY_HISTOGRAM_H_
#define CERTGUARD_CLIENT_BENCH_LATENCY_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstdint>

namespace certguard::bench {

class LatencyHistogram {
 public:
  void Record(int64_t ns);  // negative values count as 0. Thread-safe.
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  int64_t max() const { return max_.load(std::memory_order_relaxed); }
  double mean() const;
  // The value at quantile q in [0, 1] (bucket midpoint); 0 when empty. Call after recording stops.
  int64_t Quantile(double q) const;

 private:
  static constexpr int kSubBits = 6;
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kBuckets = (64 - kSubBits + 1) * kSub;
  static int Index(uint64_t v);
  static uint64_t Midpoint(int index);

  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_{0};
  std::atomic<int64_t> max_{0};
};

}  // namespace certguard::bench

#endif  // CERTGUARD_CLIENT_BENCH_LATENCY_HISTOGRAM_H_
