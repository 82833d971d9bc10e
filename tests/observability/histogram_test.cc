#include "server/observability/histogram.h"

#include <gtest/gtest.h>

namespace certguard::observability {
namespace {

TEST(HistogramTest, CumulativeBucketsSumAndCount) {
  Histogram h({0.001, 0.01});
  h.Observe(absl::Microseconds(500));  // <= 0.001
  h.Observe(absl::Milliseconds(1));    // == bound: counted in that bucket (le)
  h.Observe(absl::Milliseconds(5));
  h.Observe(absl::Seconds(2));  // +Inf only
  EXPECT_EQ(h.RenderSamples("d", {{"frontend", "validator"}}),
            "d_bucket{frontend=\"validator\",le=\"0.001\"} 2\n"
            "d_bucket{frontend=\"validator\",le=\"0.01\"} 3\n"
            "d_bucket{frontend=\"validator\",le=\"+Inf\"} 4\n"
            "d_sum{frontend=\"validator\"} 2.0065\n"
            "d_count{frontend=\"validator\"} 4\n");
}

TEST(HistogramTest, DefaultBucketsAreSorted) {
  const auto b = DefaultLatencyBuckets();
  EXPECT_TRUE(std::is_sorted(b.begin(), b.end()));
  EXPECT_EQ(b.back(), 1.0);
}

}  // namespace
}  // namespace certguard::observability
