// A latency histogram with fixed bucket bounds (seconds), lock-free: one atomic per bucket,
// the sum kept in nanoseconds. Thread-safe.
#ifndef CERTGUARD_SERVER_OBSERVABILITY_HISTOGRAM_H_
#define CERTGUARD_SERVER_OBSERVABILITY_HISTOGRAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/observability/prometheus_text.h"

namespace certguard::observability {

// 100 us .. 1 s: a cached verdict takes microseconds, a chain verification about a millisecond.
std::vector<double> DefaultLatencyBuckets();

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds = DefaultLatencyBuckets());

  void Observe(absl::Duration d);

  // Text samples name_bucket{...,le="x"}, name_sum, name_count (no HELP/TYPE lines).
  std::string RenderSamples(absl::string_view name, const Labels& labels) const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the +Inf bucket)
  std::atomic<uint64_t> sum_nanos_{0};
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_HISTOGRAM_H_
