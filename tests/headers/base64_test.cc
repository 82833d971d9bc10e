#include "server/headers/base64.h"

#include <cstddef>
#include <limits>
#include <random>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

struct GoodCase {
  std::string name;
  std::string input;
  Base64Options options;
  std::string expected;
};

Base64Options Lenient() {
  Base64Options options;
  options.allow_whitespace = true;
  return options;
}

Base64Options Sf() {
  Base64Options options;
  options.require_padding = false;
  options.allow_nonzero_pad_bits = true;
  return options;
}

class Base64GoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(Base64GoodTest, Decodes) {
  const GoodCase& c = GetParam();
  absl::StatusOr<std::string> out = Base64Decode(c.input, c.options);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Base64GoodTest,
    ::testing::Values(GoodCase{"Empty", "", {}, ""}, GoodCase{"OneByte", "Zg==", {}, "f"},
                      GoodCase{"TwoBytes", "Zm8=", {}, "fo"},
                      GoodCase{"ThreeBytes", "Zm9v", {}, "foo"},
                      GoodCase{"PlusAndSlash", "+/+/", {}, "\xfb\xff\xbf"s},
                      GoodCase{"NulBytes", "AAAA", {}, "\0\0\0"s},
                      GoodCase{"LineBreaksAllowed", "Zm9v\nYmFy\r\n", Lenient(), "foobar"},
                      GoodCase{"SpacesAndTabsAllowed", " Zm 9v\tYg== ", Lenient(), "foob"},
                      GoodCase{"WhitespaceAfterPadding", "Zg==\n", Lenient(), "f"},
                      GoodCase{"UnpaddedWhenAllowed", "Zm8", Sf(), "fo"},
                      GoodCase{"UnpaddedOneByteWhenAllowed", "Zg", Sf(), "f"},
                      GoodCase{"NonZeroPadBitsWhenAllowed", "Zh==", Sf(), "f"},
                      GoodCase{"PaddedStillFineWhenOptional", "Zm8=", Sf(), "fo"}),
    [](const auto& info) { return info.param.name; });

struct BadCase {
  std::string name;
  std::string input;
  Base64Options options;
};

class Base64BadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(Base64BadTest, Rejects) {
  const BadCase& c = GetParam();
  absl::StatusOr<std::string> out = Base64Decode(c.input, c.options);
  ASSERT_FALSE(out.ok()) << "decoded to " << out->size() << " bytes";
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << out.status();
}

INSTANTIATE_TEST_SUITE_P(
    Table, Base64BadTest,
    ::testing::Values(
        BadCase{"UrlSafeDash", "Zm9-", {}}, BadCase{"UrlSafeUnderscore", "Zm9_", {}},
        BadCase{"Junk", "Zm9v!", {}}, BadCase{"JunkAfterPadding", "Zg==x", {}},
        BadCase{"DataAfterPadding", "Zg==Zm9v", {}}, BadCase{"PaddingFirst", "=Zm9", {}},
        BadCase{"PaddingAfterOneChar", "Z===", {}}, BadCase{"PaddingOnly", "====", {}},
        BadCase{"TooMuchPadding", "Zm8==", {}}, BadCase{"IncompletePadding", "Zg=", {}},
        BadCase{"MissingPadding", "Zm8", {}}, BadCase{"TruncatedGroup", "Zm9vY", {}},
        BadCase{"TruncatedGroupEvenIfUnpaddedAllowed", "Zm9vY", Sf()},
        BadCase{"NonZeroPadBits", "Zh==", {}}, BadCase{"NonZeroPadBitsTwoBytes", "Zm9=", {}},
        BadCase{"WhitespaceNotAllowed", "Zm9v Zm9v", {}},
        BadCase{"LineBreakNotAllowed", "Zm9v\nZm9v", {}}, BadCase{"NulByte", "Zm9v\0Zm9v"s, {}},
        BadCase{"NulByteLenient", "Zm9v\0Zm9v"s, Lenient()},
        BadCase{"HighByte", "Zm9v\xc3\xa9", {}},
        BadCase{"VerticalTabIsNotWhitespace", "Zm9v\vZm9v", Lenient()},
        BadCase{"Percent", "Zm9v%3D", {}}),
    [](const auto& info) { return info.param.name; });

TEST(Base64Test, RoundTripsAbslEncoderForAllLengthsAndWhitespace) {
  std::mt19937 rng(12345);
  for (size_t length = 0; length <= 96; ++length) {
    std::string data(length, '\0');
    for (char& ch : data) ch = static_cast<char>(rng() & 0xff);
    const std::string encoded = absl::Base64Escape(data);
    absl::StatusOr<std::string> strict = Base64Decode(encoded);
    ASSERT_TRUE(strict.ok()) << length << ": " << strict.status();
    EXPECT_EQ(*strict, data) << length;

    std::string wrapped;
    for (size_t i = 0; i < encoded.size(); ++i) {
      if (i > 0 && i % 7 == 0) wrapped += "\r\n ";
      wrapped.push_back(encoded[i]);
    }
    absl::StatusOr<std::string> lenient = Base64Decode(wrapped, Lenient());
    ASSERT_TRUE(lenient.ok()) << length << ": " << lenient.status();
    EXPECT_EQ(*lenient, data) << length;

    std::string unpadded = encoded;
    while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
    absl::StatusOr<std::string> sf = Base64Decode(unpadded, Sf());
    ASSERT_TRUE(sf.ok()) << length << ": " << sf.status();
    EXPECT_EQ(*sf, data) << length;
  }
}

TEST(Base64Test, MaxDecodedBytesIsExact) {
  Base64Options options;
  options.max_decoded_bytes = 3;
  EXPECT_TRUE(Base64Decode("Zm9v", options).ok());
  EXPECT_EQ(Base64Decode("Zm9vYg==", options).status().code(),
            absl::StatusCode::kResourceExhausted);
  options.max_decoded_bytes = 4;
  EXPECT_TRUE(Base64Decode("Zm9vYg==", options).ok());
  options.max_decoded_bytes = 0;
  EXPECT_TRUE(Base64Decode("", options).ok());
  EXPECT_EQ(Base64Decode("Zg==", options).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(Base64Test, MaxDecodedBytesStopsBeforeLaterJunk) {
  // The limit is hit while decoding, before the junk at the end is reached.
  Base64Options options;
  options.max_decoded_bytes = 6;
  const std::string input = std::string(400, 'A') + "!";
  EXPECT_EQ(Base64Decode(input, options).status().code(), absl::StatusCode::kResourceExhausted);
  options.max_decoded_bytes = std::numeric_limits<size_t>::max();
  EXPECT_EQ(Base64Decode(input, options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Base64Test, ErrorMessagesGiveOffsetsNotInput) {
  absl::StatusOr<std::string> out = Base64Decode("Zm9vSECRET!");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(
      std::string_view(out.status().message().data(), out.status().message().size()).find("SECRET"),
      std::string_view::npos);
  EXPECT_NE(std::string(out.status().message()).find("10"), std::string::npos) << out.status();
}

TEST(Base64Test, IsBase64Char) {
  for (int ch = 0; ch < 256; ++ch) {
    const bool expected = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                          (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
    EXPECT_EQ(IsBase64Char(static_cast<char>(ch)), expected) << ch;
  }
}

}  // namespace
}  // namespace certguard::headers
