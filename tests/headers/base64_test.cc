#include "server/headers/base64.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

INSTANTIATE_TEST_SUITE_P(Table, Base64GoodTest,
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
    ::testing::Values(BadCase{"UrlSafeDash", "Zm9-", {}}, BadCase{"UrlSafeUnderscore", "Zm9_", {}},
                      BadCase{"Junk", "Zm9v!", {}}, BadCase{"JunkAfterPadding", "Zg==x", {}},
                      BadCase{"DataAfterPadding", "Zg==Zm9v", {}}, BadCase{"PaddingFirst", "=Zm9", {}},
                      BadCase{"PaddingAfterOneChar", "Z===", {}}, BadCase{"PaddingOnly", "====", {}},
                      BadCase{"TooMuchPadding", "Zm8==", {}}, BadCase{"IncompletePadding", "Zg=", {}},
                      BadCase{"MissingPadding", "Zm8", {}}, BadCase{"TruncatedGroup", "Zm9vY", {}},
                      BadCase{"TruncatedGroupEvenIfUnpaddedAllowed", "Zm9vY", Sf()},
                      BadCase{"NonZeroPadBits", "Zh==", {}}, BadCase{"NonZeroPadBitsTwoBytes", "Zm9=", {}},
                      BadCase{"WhitespaceNotAllowed", "Zm9v Zm9v", {}},
                      BadCase{"LineBreakNotAllowed", "Zm9v\nZm9v", {}}, BadCase{"NulByte", "Zm9v\0Zm9v"s, {}},
                      BadCase{"NulByteLenient", "Zm9v\0Zm9v"s, Lenient()}, BadCase{"HighByte", "Zm9v\xc3\xa9", {}},
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
  EXPECT_EQ(Base64Decode("Zm9vYg==", options).status().code(), absl::StatusCode::kResourceExhausted);
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
  EXPECT_EQ(absl::string_view(out.status().message().data(), out.status().message().size()).find("SECRET"),
            absl::string_view::npos);
  EXPECT_NE(std::string(out.status().message()).find("10"), std::string::npos) << out.status();
}

TEST(Base64Test, IsBase64Char) {
  for (int ch = 0; ch < 256; ++ch) {
    const bool expected =
        (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
    EXPECT_EQ(IsBase64Char(static_cast<char>(ch)), expected) << ch;
  }
}

// Every alphabet character in each of the four positions of a group, inside a long input (the
// four-at-a-time path) and as the only group.
TEST(Base64Test, EveryAlphabetCharacterInEveryPosition) {
  constexpr absl::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t value = 0; value < kAlphabet.size(); ++value) {
    for (int position = 0; position < 4; ++position) {
      std::string group = "AAAA";
      group[position] = kAlphabet[value];
      const uint32_t bits = static_cast<uint32_t>(value) << (6 * (3 - position));
      std::string expected_group = {static_cast<char>(bits >> 16), static_cast<char>(bits >> 8),
                                    static_cast<char>(bits)};
      for (size_t before : {0u, 1u, 40u}) {
        const std::string input = std::string(4 * before, 'A') + group + "AAAA";
        const std::string expected = std::string(3 * before, '\0') + expected_group + std::string(3, '\0');
        absl::StatusOr<std::string> out = Base64Decode(input);
        ASSERT_TRUE(out.ok()) << input << ": " << out.status();
        EXPECT_EQ(*out, expected) << input;
      }
    }
  }
}

// Every byte outside the alphabet, at every position of a group, early (table path) and in the
// last group: the same error and offset as a byte-at-a-time scan reports.
TEST(Base64Test, EveryOtherByteRejectedWithItsOffset) {
  for (int byte = 0; byte < 256; ++byte) {
    const char ch = static_cast<char>(byte);
    if (IsBase64Char(ch)) continue;
    const bool whitespace = ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    for (size_t offset : {0u, 1u, 2u, 3u, 41u, 42u, 43u, 44u, 46u, 47u}) {
      std::string input(48, 'A');
      input[offset] = ch;
      std::string expected;
      if (whitespace) {
        expected = absl::StrCat("whitespace in base64 at offset ", offset);
      } else if (ch == '=') {
        // '=' must follow at least two characters of a group, and the rest must be padding.
        expected = offset % 4 < 2 ? absl::StrCat("misplaced base64 padding at offset ", offset)
                                  : absl::StrCat("base64 data after padding at offset ", offset + 1);
        if (offset == 47) expected = "";  // "...AAA=" is a valid two-byte tail
      } else {
        expected = absl::StrCat("invalid base64 character at offset ", offset);
      }
      absl::StatusOr<std::string> out = Base64Decode(input);
      if (expected.empty()) {
        EXPECT_TRUE(out.ok()) << byte << " at " << offset << ": " << out.status();
        continue;
      }
      ASSERT_FALSE(out.ok()) << byte << " at " << offset;
      EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(std::string(out.status().message()), expected) << byte << " at " << offset;
    }
  }
}

TEST(Base64Test, WhitespaceBetweenGroupsAndInsideThemWhenAllowed) {
  const std::string encoded = absl::Base64Escape(std::string(300, '\x5a'));
  for (size_t stride : {1u, 2u, 3u, 4u, 5u, 64u}) {
    std::string wrapped;
    for (size_t i = 0; i < encoded.size(); i += stride) {
      absl::StrAppend(&wrapped, encoded.substr(i, stride), "\r\n");
    }
    absl::StatusOr<std::string> out = Base64Decode(wrapped, Lenient());
    ASSERT_TRUE(out.ok()) << stride << ": " << out.status();
    EXPECT_EQ(*out, std::string(300, '\x5a')) << stride;
  }
}

TEST(Base64Test, MaxDecodedBytesMessageAndEveryLimitAroundTheSize) {
  const std::string data(100, 'x');
  const std::string encoded = absl::Base64Escape(data);
  for (size_t limit = 0; limit <= data.size() + 3; ++limit) {
    Base64Options options;
    options.max_decoded_bytes = limit;
    absl::StatusOr<std::string> out = Base64Decode(encoded, options);
    if (limit >= data.size()) {
      ASSERT_TRUE(out.ok()) << limit << ": " << out.status();
      EXPECT_EQ(*out, data);
    } else {
      ASSERT_FALSE(out.ok()) << limit;
      EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
      EXPECT_EQ(std::string(out.status().message()),
                absl::StrCat("base64 data decodes to more than ", limit, " bytes"));
    }
  }
}

TEST(Base64Test, IsBase64CharIsConstexpr) {
  static_assert(IsBase64Char('A') && IsBase64Char('/') && !IsBase64Char('=') && !IsBase64Char('-') &&
                !IsBase64Char('\0'));
}

}  // namespace
}  // namespace certguard::headers
