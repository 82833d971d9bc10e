#include "server/headers/percent.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

struct GoodCase {
  std::string name;
  std::string input;
  std::string expected;
};

class PercentGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(PercentGoodTest, Decodes) {
  absl::StatusOr<std::string> out = PercentDecode(GetParam().input);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PercentGoodTest,
    ::testing::Values(GoodCase{"Empty", "", ""}, GoodCase{"Plain", "abc", "abc"},
                      GoodCase{"PlusStaysPlus", "a+b", "a+b"}, GoodCase{"EscapedPlus", "a%2Bb", "a+b"},
                      GoodCase{"LowerHex", "%2b%2f%3d", "+/="},
                      GoodCase{"AlbPem", "-----BEGIN%20CERTIFICATE-----%0AMII+/=%0A",
                               "-----BEGIN CERTIFICATE-----\nMII+/=\n"},
                      GoodCase{"EscapedPercent", "%25", "%"}, GoodCase{"EscapedNulIsDataForTheCaller", "%00", "\0"s},
                      GoodCase{"EscapedHighByte", "%FF", "\xff"}, GoodCase{"RawEqualsAndSlash", "a=b/c", "a=b/c"}),
    [](const auto& info) { return info.param.name; });

struct BadCase {
  std::string name;
  std::string input;
};

class PercentBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(PercentBadTest, Rejects) {
  absl::StatusOr<std::string> out = PercentDecode(GetParam().input);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Table, PercentBadTest,
                         ::testing::Values(BadCase{"LonePercent", "abc%"}, BadCase{"OneHexDigit", "abc%2"},
                                           BadCase{"NonHex", "%G0"}, BadCase{"NonHexSecond", "%0G"},
                                           BadCase{"DoublePercent", "%%41"}, BadCase{"SignedLooking", "%-1"},
                                           BadCase{"RawSpace", "-----BEGIN CERTIFICATE-----"},
                                           BadCase{"RawLineFeed", "abc\ndef"}, BadCase{"RawTab", "abc\tdef"},
                                           BadCase{"RawNul", "abc\0def"s}, BadCase{"RawDelete", "abc\x7f"},
                                           BadCase{"RawNonAscii", "caf\xc3\xa9"}),
                         [](const auto& info) { return info.param.name; });

TEST(PercentTest, ContainsPercentEscapeOf) {
  EXPECT_TRUE(ContainsPercentEscapeOf("ab%0Acd", "\n"));
  EXPECT_TRUE(ContainsPercentEscapeOf("ab%0acd", "\r\n"));
  EXPECT_TRUE(ContainsPercentEscapeOf("%2c", ","));
  EXPECT_FALSE(ContainsPercentEscapeOf("ab%0Bcd", "\n"));
  EXPECT_FALSE(ContainsPercentEscapeOf("ab%0", "\n"));
  EXPECT_FALSE(ContainsPercentEscapeOf("ab\ncd", "\n"));
  EXPECT_FALSE(ContainsPercentEscapeOf("", "\n"));
}

}  // namespace
}  // namespace certguard::headers
