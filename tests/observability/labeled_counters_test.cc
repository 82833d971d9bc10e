#include "server/observability/labeled_counters.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace certguard::observability {
namespace {

TEST(LabeledCountersTest, CountsPerLabelTupleAndRendersSorted) {
  LabeledCounters counters({"policy", "decision"});
  counters.Add({"b", "ALLOW"});
  counters.Add({"a", "DENY"}, 2);
  counters.Add({"b", "ALLOW"});
  counters.Add({"", "ERROR"});
  EXPECT_EQ(counters.Render("x_total", "Things."),
            "# HELP x_total Things.\n# TYPE x_total counter\n"
            "x_total{policy=\"\",decision=\"ERROR\"} 1\n"
            "x_total{policy=\"a\",decision=\"DENY\"} 2\n"
            "x_total{policy=\"b\",decision=\"ALLOW\"} 2\n");
}

TEST(LabeledCountersTest, ConcurrentIncrementsAreNotLost) {
  LabeledCounters counters({"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&counters, t] {
      for (int i = 0; i < 10000; ++i) counters.Add({(i + t) % 2 == 0 ? "even" : "odd"});
    });
  }
  for (auto& t : threads) t.join();
  uint64_t total = 0;
  for (const auto& [values, count] : counters.Snapshot()) total += count;
  EXPECT_EQ(total, 80000u);
}

}  // namespace
}  // namespace certguard::observability
