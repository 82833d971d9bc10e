// Check names: each distinct, snake_case, and listed in docs/api.md.
#include "server/policy/check_names.h"

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace certguard::policy {
namespace {

TEST(CheckNamesTest, DistinctSnakeCaseAndDocumented) {
  std::ifstream in(CERTGUARD_SOURCE_DIR "/docs/api.md");
  ASSERT_TRUE(in);
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::string> seen;
  for (absl::string_view name : checks::kAll) {
    const std::string text(name);
    EXPECT_TRUE(seen.insert(text).second) << text;
    EXPECT_EQ(text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string::npos) << text;
    EXPECT_NE(doc.find("`" + text + "`"), std::string::npos) << text << " is not in docs/api.md";
  }
}

}  // namespace
}  // namespace certguard::policy
