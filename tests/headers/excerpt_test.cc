#include "server/headers/excerpt.h"

#include <string>

#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

TEST(ExcerptTest, QuotesShortInput) { EXPECT_EQ(Excerpt("abc"), "\"abc\""); }

TEST(ExcerptTest, EmptyInput) { EXPECT_EQ(Excerpt(""), "\"\""); }

TEST(ExcerptTest, CutsLongInput) {
  const std::string input = std::string(kMaxExcerptBytes, 'a') + "SECRET";
  EXPECT_EQ(Excerpt(input), "\"" + std::string(kMaxExcerptBytes, 'a') + "\"...");
}

TEST(ExcerptTest, ExactlyTheLimitIsNotCut) {
  const std::string input(kMaxExcerptBytes, 'b');
  EXPECT_EQ(Excerpt(input), "\"" + input + "\"");
}

TEST(ExcerptTest, EscapesNonPrintableQuoteAndBackslash) {
  EXPECT_EQ(Excerpt("a\0b\n\x7f\xff\"\\"s), "\"a\\x00b\\x0a\\x7f\\xff\\x22\\x5c\"");
}

TEST(ExcerptTest, OutputIsPrintableAscii) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t offset = 0; offset < all.size(); offset += kMaxExcerptBytes) {
    for (char ch : Excerpt(all.substr(offset))) {
      EXPECT_GE(static_cast<unsigned char>(ch), 0x20);
      EXPECT_LT(static_cast<unsigned char>(ch), 0x7f);
    }
  }
}

}  // namespace
}  // namespace certguard::headers
