// common/utf8: well-formedness as RFC 3629 defines it, replacement and character-safe cuts.
#include "server/common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace certguard::common {
namespace {

struct Row {
  std::string input;
  bool valid;
  std::string repaired;  // ToValidUtf8(input)
};

const std::string R = "\xEF\xBF\xBD";  // U+FFFD

TEST(Utf8Test, Table) {
  const Row rows[] = {
      {"", true, ""},
      {"plain ascii", true, "plain ascii"},
      {"caf\xC3\xA9", true, "caf\xC3\xA9"},                    // é
      {"\xE2\x82\xAC", true, "\xE2\x82\xAC"},                  // €
      {"\xF0\x9F\x98\x80", true, "\xF0\x9F\x98\x80"},          // U+1F600
      {"\xF4\x8F\xBF\xBF", true, "\xF4\x8F\xBF\xBF"},          // U+10FFFF
      {std::string("a\0b", 3), true, std::string("a\0b", 3)},  // NUL is a character
      {"caf\xE9", false, "caf" + R},                           // Latin-1
      {"\xFF\xFE", false, R + R},
      {"\x80", false, R},                          // lone continuation
      {"\xC0\xAE", false, R + R},                  // overlong '.'
      {"\xC1\xBF", false, R + R},                  // overlong
      {"\xE0\x80\xAE", false, R + R + R},          // overlong 3 bytes
      {"\xF0\x80\x80\xAE", false, R + R + R + R},  // overlong 4 bytes
      {"\xED\xA0\x80", false, R + R + R},          // surrogate U+D800
      {"\xF4\x90\x80\x80", false, R + R + R + R},  // above U+10FFFF
      {"\xF5\x80\x80\x80", false, R + R + R + R},
      {"\xC3", false, R},                    // truncated
      {"\xE2\x82", false, R + R},            // truncated
      {"ok\xC3(x", false, "ok" + R + "(x"},  // bad continuation
  };
  for (const Row& row : rows) {
    EXPECT_EQ(IsValidUtf8(row.input), row.valid) << row.input;
    EXPECT_EQ(ToValidUtf8(row.input), row.repaired) << row.input;
    EXPECT_TRUE(IsValidUtf8(ToValidUtf8(row.input))) << row.input;
  }
}

TEST(Utf8Test, PrefixNeverSplitsACharacter) {
  const std::string s = "ab\xC3\xA9\xE2\x82\xAC";  // a b é €
  EXPECT_EQ(Utf8Prefix(s, 100), s);
  EXPECT_EQ(Utf8Prefix(s, 2), "ab");
  EXPECT_EQ(Utf8Prefix(s, 3), "ab");  // inside é
  EXPECT_EQ(Utf8Prefix(s, 4), "ab\xC3\xA9");
  EXPECT_EQ(Utf8Prefix(s, 5), "ab\xC3\xA9");  // inside €
  EXPECT_EQ(Utf8Prefix(s, 6), "ab\xC3\xA9");
  EXPECT_EQ(Utf8Prefix(s, 7), s);
  EXPECT_EQ(Utf8Prefix(s, 0), "");
  for (size_t n = 0; n <= s.size(); ++n) EXPECT_TRUE(IsValidUtf8(Utf8Prefix(s, n))) << n;
}

}  // namespace
}  // namespace certguard::common
