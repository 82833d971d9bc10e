#include "server/observability/prometheus_text.h"

#include <limits>

#include <gtest/gtest.h>

namespace certguard::observability {
namespace {

TEST(PrometheusTextTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(PrometheusTextTest, FormatsLabels) {
  EXPECT_EQ(FormatLabels({}), "");
  EXPECT_EQ(FormatLabels({{"a", "x"}, {"b", "\""}}), "{a=\"x\",b=\"\\\"\"}");
}

TEST(PrometheusTextTest, FormatsValues) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(0.00025), "0.00025");
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
}

TEST(PrometheusTextTest, Header) { EXPECT_EQ(Header("m", "counter", "Help."), "# HELP m Help.\n# TYPE m counter\n"); }

}  // namespace
}  // namespace certguard::observability
