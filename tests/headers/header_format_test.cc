#include "server/headers/header_format.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

struct NameCase {
  Format format;
  std::string name;
};

class HeaderFormatTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(HeaderFormatTest, NameRoundTrips) {
  EXPECT_EQ(FormatName(GetParam().format), GetParam().name);
  EXPECT_EQ(ParseFormatName(GetParam().name), GetParam().format);
  std::string lower = GetParam().name;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(ParseFormatName(lower), GetParam().format);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, HeaderFormatTest,
                         ::testing::Values(NameCase{Format::kUnspecified, "UNSPECIFIED"},
                                           NameCase{Format::kBase64Der, "BASE64_DER"},
                                           NameCase{Format::kPemBody, "PEM_BODY"}, NameCase{Format::kPem, "PEM"},
                                           NameCase{Format::kUrlEncodedPem, "URL_ENCODED_PEM"},
                                           NameCase{Format::kXfcc, "XFCC"}, NameCase{Format::kRfc9440, "RFC9440"},
                                           NameCase{Format::kNginxTabbedPem, "NGINX_TABBED_PEM"},
                                           NameCase{Format::kTraefik, "TRAEFIK"}),
                         [](const auto& info) { return info.param.name; });

TEST(HeaderFormatTest, ProtoSpellingOfUnspecified) {
  EXPECT_EQ(ParseFormatName("HEADER_FORMAT_UNSPECIFIED"), Format::kUnspecified);
}

TEST(HeaderFormatTest, NumericValuesMatchTheProto) {
  EXPECT_EQ(static_cast<int>(Format::kBase64Der), 1);
  EXPECT_EQ(static_cast<int>(Format::kTraefik), 8);
}

TEST(HeaderFormatTest, UnknownNames) {
  EXPECT_EQ(ParseFormatName(""), std::nullopt);
  EXPECT_EQ(ParseFormatName("PEM "), std::nullopt);
  EXPECT_EQ(ParseFormatName("BASE64"), std::nullopt);
  EXPECT_EQ(ParseFormatName(std::string("PEM\0", 4)), std::nullopt);
  EXPECT_EQ(FormatName(static_cast<Format>(99)), "UNKNOWN");
}

}  // namespace
}  // namespace certguard::headers
