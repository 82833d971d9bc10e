#include "server/observability/histogram.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"

namespace certguard::observability {

std::vector<double> DefaultLatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(absl::Duration d) {
  const double seconds = absl::ToDoubleSeconds(d);
  const size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, absl::ToInt64Nanoseconds(d))),
                       std::memory_order_relaxed);
}

std::string Histogram::RenderSamples(absl::string_view name, const Labels& labels) const {
  std::string out;
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    Labels with_le = labels;
    with_le.emplace_back("le", FormatValue(i < bounds_.size() ? bounds_[i] : std::numeric_limits<double>::infinity()));
    absl::StrAppend(&out, name, "_bucket", FormatLabels(with_le), " ", cumulative, "\n");
  }
  // The count is the +Inf bucket so the two always agree within one scrape.
  absl::StrAppend(&out, name, "_sum", FormatLabels(labels), " ",
                  FormatValue(static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9), "\n");
  absl::StrAppend(&out, name, "_count", FormatLabels(labels), " ", cumulative, "\n");
  return out;
}

}  // namespace certguard::observability
