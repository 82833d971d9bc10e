#include "server/observability/labeled_counters.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

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

TEST(LabeledCountersTest, RunsOfEqualLabelsAndInterleavedFamiliesCountExactly) {
  LabeledCounters a({"k"});
  LabeledCounters b({"k"});
  for (int i = 0; i < 10; ++i) a.Add({"x"});  // a run: the per-thread memo serves all but the first
  for (int i = 0; i < 6; ++i) {
    a.Add({i % 2 == 0 ? "x" : "y"});  // alternating tuples in one family
    b.Add({"x"}, 3);                  // and another family in between
  }
  EXPECT_EQ(a.Snapshot(), (std::vector<std::pair<std::vector<std::string>, uint64_t>>{{{"x"}, 13}, {{"y"}, 3}}));
  EXPECT_EQ(b.Snapshot(), (std::vector<std::pair<std::vector<std::string>, uint64_t>>{{{"x"}, 18}}));
}

TEST(LabeledCountersTest, ANewFamilyNeverCountsIntoADestroyedOnesMemo) {
  // Families created and destroyed in turn (likely at the same address): each starts at zero.
  for (int round = 0; round < 5; ++round) {
    auto family = std::make_unique<LabeledCounters>(std::vector<std::string>{"k"});
    family->Add({"same"});
    family->Add({"same"});
    EXPECT_EQ(family->Snapshot(), (std::vector<std::pair<std::vector<std::string>, uint64_t>>{{{"same"}, 2}}));
  }
}

}  // namespace
}  // namespace certguard::observability
