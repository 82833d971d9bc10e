#include "server/headers/structured_field.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

enum class Kind { kItem, kList };

struct Case {
  std::string name;
  Kind kind;
  std::string field;
  bool ok;
  std::vector<std::string> visited;  // base64 texts, when ok
};

absl::StatusOr<std::vector<std::string>> Parse(Kind kind, absl::string_view field) {
  std::vector<std::string> visited;
  auto visit = [&](absl::string_view base64) {
    visited.emplace_back(base64);
    return absl::OkStatus();
  };
  absl::Status status = kind == Kind::kItem ? ParseSfBinaryItem(field, visit) : ParseSfBinaryList(field, visit);
  if (!status.ok()) return status;
  return visited;
}

class StructuredFieldTest : public ::testing::TestWithParam<Case> {};

TEST_P(StructuredFieldTest, Parses) {
  const Case& c = GetParam();
  absl::StatusOr<std::vector<std::string>> visited = Parse(c.kind, c.field);
  if (c.ok) {
    ASSERT_TRUE(visited.ok()) << visited.status();
    EXPECT_EQ(*visited, c.visited);
  } else {
    ASSERT_FALSE(visited.ok()) << "visited " << visited->size();
    EXPECT_EQ(visited.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

Case ItemOk(std::string name, std::string field, std::string visited) {
  return Case{std::move(name), Kind::kItem, std::move(field), true, {std::move(visited)}};
}
Case ItemBad(std::string name, std::string field) {
  return Case{std::move(name), Kind::kItem, std::move(field), false, {}};
}
Case ListOk(std::string name, std::string field, std::vector<std::string> visited) {
  return Case{std::move(name), Kind::kList, std::move(field), true, std::move(visited)};
}
Case ListBad(std::string name, std::string field) {
  return Case{std::move(name), Kind::kList, std::move(field), false, {}};
}

INSTANTIATE_TEST_SUITE_P(
    Items, StructuredFieldTest,
    ::testing::Values(
        ItemOk("Plain", ":aGVsbG8=:", "aGVsbG8="), ItemOk("Empty", "::", ""),
        ItemOk("Unpadded", ":aGVsbG8:", "aGVsbG8"), ItemOk("LeadingAndTrailingSp", "  :QUFB:  ", "QUFB"),
        ItemOk("BooleanParameter", ":QUFB:;a", "QUFB"),
        ItemOk("AllParameterTypes", ":QUFB:;a=1;b=-2;c=1.5;d=-0.125;e=\"s \\\" \\\\\";f=tok/x:y;g=:QQ==:;h=?0;*i=?1",
               "QUFB"),
        ItemOk("SpaceAfterSemicolon", ":QUFB:; a=1", "QUFB"),
        ItemOk("FifteenDigitInteger", ":QUFB:;a=123456789012345", "QUFB"),
        ItemOk("TwelveDotThreeDecimal", ":QUFB:;a=123456789012.123", "QUFB"), ItemBad("EmptyField", ""),
        ItemBad("OnlySpaces", "   "), ItemBad("NoColons", "aGVsbG8="), ItemBad("NoClosingColon", ":aGVsbG8="),
        ItemBad("InvalidCharInBinary", ":aGVs*bG8=:"), ItemBad("SpaceInBinary", ":aGVs bG8=:"),
        ItemBad("UrlSafeInBinary", ":aGV-bG8_:"), ItemBad("NulInBinary", ":aGVs\0bG8=:"s),
        ItemBad("TabAtStart", "\t:QUFB:"), ItemBad("TabAtEnd", ":QUFB:\t"), ItemBad("TwoItems", ":QUFB:, :QkJC:"),
        ItemBad("TrailingJunk", ":QUFB:x"), ItemBad("Token", "QUFB"), ItemBad("Integer", "12"),
        ItemBad("String", "\"QUFB\""), ItemBad("InnerList", "(:QUFB:)"), ItemBad("SpaceBeforeSemicolon", ":QUFB: ;a=1"),
        ItemBad("UpperCaseKey", ":QUFB:;A=1"), ItemBad("DigitFirstKey", ":QUFB:;1a=1"),
        ItemBad("EmptyKey", ":QUFB:;=1"), ItemBad("MissingValue", ":QUFB:;a="),
        ItemBad("SpaceAfterEquals", ":QUFB:;a= 1"), ItemBad("UnterminatedString", ":QUFB:;a=\"abc"),
        ItemBad("BadStringEscape", ":QUFB:;a=\"a\\nb\""), ItemBad("ControlInString", ":QUFB:;a=\"a\x01\""),
        ItemBad("NonAsciiInString", ":QUFB:;a=\"caf\xc3\xa9\""),
        ItemBad("SixteenDigitInteger", ":QUFB:;a=1234567890123456"),
        ItemBad("ThirteenDigitDecimal", ":QUFB:;a=1234567890123.1"), ItemBad("FourFractionDigits", ":QUFB:;a=1.2345"),
        ItemBad("DecimalEndsWithDot", ":QUFB:;a=1."), ItemBad("LoneMinus", ":QUFB:;a=-"),
        ItemBad("BadBoolean", ":QUFB:;a=?2"), ItemBad("BadBinaryParameter", ":QUFB:;a=:QQ"),
        ItemBad("JunkParameterValue", ":QUFB:;a=@1"), ItemBad("TrailingSemicolon", ":QUFB:;")),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Lists, StructuredFieldTest,
    ::testing::Values(ListOk("Empty", "", {}), ListOk("OnlySpaces", "   ", {}), ListOk("One", ":QUFB:", {"QUFB"}),
                      ListOk("Two", ":QUFB:,:QkJC:", {"QUFB", "QkJC"}),
                      ListOk("OwsAroundCommas", ":QUFB: \t,\t :QkJC:", {"QUFB", "QkJC"}),
                      ListOk("Parameters", ":QUFB:;a=1, :QkJC:;b", {"QUFB", "QkJC"}),
                      ListBad("TrailingComma", ":QUFB:,"), ListBad("TrailingCommaAndSpace", ":QUFB:, "),
                      ListBad("LeadingComma", ",:QUFB:"), ListBad("DoubleComma", ":QUFB:,,:QkJC:"),
                      ListBad("MissingComma", ":QUFB: :QkJC:"), ListBad("InnerList", ":QUFB:, (:QkJC:)"),
                      ListBad("TokenMember", ":QUFB:, abc"), ListBad("IntegerMember", ":QUFB:, 1"),
                      ListBad("UnclosedMember", ":QUFB:, :QkJC"), ListBad("LineBreak", ":QUFB:,\n:QkJC:")),
    [](const auto& info) { return info.param.name; });

TEST(StructuredFieldVisitTest, VisitorErrorStopsTheList) {
  int visits = 0;
  absl::Status status = ParseSfBinaryList(":QUFB:, :QkJC:, :Q0ND:", [&](absl::string_view) {
    return ++visits == 2 ? absl::ResourceExhaustedError("full") : absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(visits, 2);
}

TEST(StructuredFieldVisitTest, ItemIsVisitedOnlyAfterItsParametersParse) {
  int visits = 0;
  absl::Status status = ParseSfBinaryItem(":QUFB:;A=1", [&](absl::string_view) {
    ++visits;
    return absl::OkStatus();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(visits, 0);
}

TEST(StructuredFieldVisitTest, LongInputIsLinear) {
  std::string field;
  for (int i = 0; i < 5000; ++i) field += ":QUFB:;a=1, ";
  field += ":QUFB:";
  int visits = 0;
  ASSERT_TRUE(ParseSfBinaryList(field, [&](absl::string_view) {
                ++visits;
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(visits, 5001);
}

}  // namespace
}  // namespace certguard::headers
