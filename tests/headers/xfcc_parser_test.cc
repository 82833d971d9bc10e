#include "server/headers/xfcc_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

// Elements as lists of {key, value}.
using Pairs = std::vector<std::pair<std::string, std::string>>;
using Elements = std::vector<Pairs>;

Elements Flatten(const std::vector<XfccPairs>& parsed) {
  Elements out;
  for (const XfccPairs& element : parsed) {
    Pairs pairs;
    for (const XfccPair& pair : element) pairs.emplace_back(pair.key, pair.value);
    out.push_back(std::move(pairs));
  }
  return out;
}

struct GoodCase {
  std::string name;
  std::string value;
  Elements expected;
};

class XfccParserGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(XfccParserGoodTest, Parses) {
  absl::StatusOr<std::vector<XfccPairs>> parsed = ParseXfcc(GetParam().value);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(Flatten(*parsed), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, XfccParserGoodTest,
    ::testing::Values(
        GoodCase{"Envoy",
                 "By=spiffe://cluster.local/ns/a/sa/b;Hash=abc;Subject=\"CN=x,O=y\";"
                 "URI=spiffe://cluster.local/ns/c/sa/d;DNS=a.example;DNS=b.example",
                 {{{"by", "spiffe://cluster.local/ns/a/sa/b"},
                   {"hash", "abc"},
                   {"subject", "CN=x,O=y"},
                   {"uri", "spiffe://cluster.local/ns/c/sa/d"},
                   {"dns", "a.example"},
                   {"dns", "b.example"}}}},
        GoodCase{"KeysAreLowerCased", "hAsH=1;CERT=2", {{{"hash", "1"}, {"cert", "2"}}}},
        GoodCase{"EmptyValues", "URI=;Subject=\"\"", {{{"uri", ""}, {"subject", ""}}}},
        GoodCase{"EqualsInUnquotedValue", "Cert=abc==", {{{"cert", "abc=="}}}},
        GoodCase{"SemicolonCommaInQuotes", "Subject=\"CN=a;b,c\";URI=u", {{{"subject", "CN=a;b,c"}, {"uri", "u"}}}},
        GoodCase{"EscapedQuote", "Subject=\"CN=\\\"q\\\"\"", {{{"subject", "CN=\"q\""}}}},
        GoodCase{"EscapedBackslash", "Subject=\"a\\\\\"", {{{"subject", "a\\"}}}},
        GoodCase{"Rfc2253EscapeKept", "Subject=\"CN=a\\,b\"", {{{"subject", "CN=a\\,b"}}}},
        GoodCase{"SmuggledCertStaysInsideQuotes",
                 "Subject=\"x\\\";Cert=evil;y=\\\"\";Cert=real",
                 {{{"subject", "x\";Cert=evil;y=\""}, {"cert", "real"}}}},
        GoodCase{"SmuggledElementStaysInsideQuotes",
                 "Subject=\"a,Cert=evil\";Cert=real",
                 {{{"subject", "a,Cert=evil"}, {"cert", "real"}}}},
        GoodCase{
            "TwoElements", "By=a;Hash=1,By=b;Hash=2", {{{"by", "a"}, {"hash", "1"}}, {{"by", "b"}, {"hash", "2"}}}},
        GoodCase{
            "WhitespaceAroundSeparators", " By=a ;\tHash=1 , By=b ", {{{"by", "a"}, {"hash", "1"}}, {{"by", "b"}}}},
        GoodCase{"ObsFold", "By=a;\r\n Hash=1,\n\tBy=b", {{{"by", "a"}, {"hash", "1"}}, {{"by", "b"}}}},
        GoodCase{"UnknownKeysKept", "X-Custom=1", {{{"x-custom", "1"}}}},
        GoodCase{"Utf8InQuotedValue", "Subject=\"CN=caf\xc3\xa9\"", {{{"subject", "CN=caf\xc3\xa9"}}}},
        GoodCase{"TabInQuotedValue", "Subject=\"a\tb\"", {{{"subject", "a\tb"}}}}),
    [](const auto& info) { return info.param.name; });

struct BadCase {
  std::string name;
  std::string value;
};

class XfccParserBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(XfccParserBadTest, Rejects) {
  absl::StatusOr<std::vector<XfccPairs>> parsed = ParseXfcc(GetParam().value);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Table, XfccParserBadTest,
    ::testing::Values(
        BadCase{"Empty", ""}, BadCase{"Blank", " \t "}, BadCase{"NoEquals", "Hash"}, BadCase{"EmptyKey", "=abc"},
        BadCase{"SpaceBeforeEquals", "Hash =abc"}, BadCase{"SpaceAfterEquals", "Hash= abc"},
        BadCase{"EmptyPair", "By=a;;Hash=1"}, BadCase{"TrailingSemicolon", "By=a;"},
        BadCase{"EmptyElement", "By=a,,By=b"}, BadCase{"TrailingComma", "By=a,"}, BadCase{"LeadingComma", ",By=a"},
        BadCase{"UnterminatedQuote", "Subject=\"abc;Cert=x"}, BadCase{"BackslashAtEnd", "Subject=\"abc\\"},
        BadCase{"EscapedClosingQuoteOnly", "Subject=\"abc\\\""}, BadCase{"QuoteInsideUnquoted", "Subject=ab\"c\""},
        BadCase{"DataAfterQuotedValue", "Subject=\"a\"b;Cert=x"}, BadCase{"SpaceInsideUnquoted", "Subject=CN=a b"},
        BadCase{"NulInUnquoted", "By=a\0b"s}, BadCase{"NulInQuoted", "Subject=\"a\0b\""s},
        BadCase{"NulAfterValue", "By=a\0"s}, BadCase{"LineFeedWithoutFold", "By=a;\nHash=1"},
        BadCase{"LineFeedInQuoted", "Subject=\"a\nb\""}, BadCase{"CrWithoutLf", "By=a;\r Hash=1"},
        BadCase{"DeleteByte", "By=a\x7f"}, BadCase{"KeyWithSlash", "By/x=a"}),
    [](const auto& info) { return info.param.name; });

TEST(XfccParserTest, ManyElementsAreLinear) {
  std::string value;
  for (int i = 0; i < 5000; ++i) value += "By=a;Subject=\"x;y,z\",";
  value += "By=last";
  absl::StatusOr<std::vector<XfccPairs>> parsed = ParseXfcc(value);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 5001u);
  EXPECT_EQ(parsed->back().front().value, "last");
}

}  // namespace
}  // namespace certguard::headers
