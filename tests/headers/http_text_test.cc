#include "server/headers/http_text.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

TEST(HttpTextTest, TrimOwsStripsOnlySpaceAndTab) {
  EXPECT_EQ(TrimOws(" \tabc \t"), "abc");
  EXPECT_EQ(TrimOws("\nabc\r"), "\nabc\r");
  EXPECT_EQ(TrimOws("   "), "");
  EXPECT_EQ(TrimOws("a b"), "a b");
}

TEST(HttpTextTest, TrimLineWhitespace) {
  EXPECT_EQ(TrimLineWhitespace("\r\n\t abc\r\n"), "abc");
  EXPECT_EQ(TrimLineWhitespace("\vabc"), "\vabc");
  EXPECT_EQ(TrimLineWhitespace("\0abc"s), "\0abc"s);
}

TEST(HttpTextTest, IsBlank) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_FALSE(IsBlank(" x "));
  EXPECT_FALSE(IsBlank("\0"s));
}

// The decoders compare header names and keys with abseil's comparisons, which must stay ASCII-only.
TEST(HttpTextTest, AbslIgnoreCaseComparisonsAreAsciiOnly) {
  EXPECT_TRUE(absl::EqualsIgnoreCase("X-Forwarded-Client-Cert", "x-forwarded-client-cert"));
  EXPECT_FALSE(absl::EqualsIgnoreCase("client-cert", "client-cert-chain"));
  EXPECT_FALSE(absl::EqualsIgnoreCase("\xc3\x89", "\xc3\xa9"));
  EXPECT_FALSE(absl::EqualsIgnoreCase("a\0"s, "a"));
  EXPECT_TRUE(absl::StartsWithIgnoreCase("X-Amzn-Mtls-Clientcert-Leaf", "x-amzn-mtls-clientcert-"));
  EXPECT_FALSE(absl::StartsWithIgnoreCase("x-amzn", "x-amzn-mtls"));
}

TEST(HttpTextTest, IsTcharMatchesRfc9110) {
  const std::string tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (int ch = 0; ch < 256; ++ch) {
    const bool expected = ch != 0 && tchars.find(static_cast<char>(ch)) != std::string::npos;
    EXPECT_EQ(IsTchar(static_cast<char>(ch)), expected) << ch;
  }
}

}  // namespace
}  // namespace certguard::headers
