// policy::ExclusionPaths: one row per request path, with the entries
// [/health, /public/, /static*, /api/v1/status] and whether the path is excluded.
#include "server/policy/exclusion_paths.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/printable_name.h"

namespace certguard::policy {
namespace {

using ::testing::HasSubstr;

struct Row {
  absl::string_view path;
  bool excluded;
  const char* why;
};

// Test names in CTest show the row, not its bytes.
void PrintTo(const Row& row, std::ostream* os) { certguard::testing::PrintAsTestName(row.why, os); }

const std::vector<std::string> kEntries = {"/health", "/public/", "/static*", "/API/v1/status"};

const Row kRows[] = {
    // Segment boundaries.
    {"/health", true, "the entry itself"},
    {"/health/", true, "trailing slash"},
    {"/health/live", true, "below the entry"},
    {"/health/live/deep", true, "deeper"},
    {"/healthcare/records", false, "another segment that starts with the entry"},
    {"/health-admin", false, "another segment"},
    {"/healthz", false, "another segment"},
    {"/HEALTH/live", true, "case-insensitive"},
    {"/health?verbose=1", true, "query ignored"},
    {"/health#frag", true, "fragment ignored"},
    {"/health?x=/../admin", true, "query content is not path"},
    {"/public", false, "entry /public/ needs the slash"},
    {"/public/", true, "entry with trailing slash"},
    {"/public/index.html", true, "a file below"},
    {"/publicity", false, "another segment"},
    {"/static", true, "raw prefix"},
    {"/staticfiles/app.js", true, "raw prefix spans segments"},
    {"/api/v1/status", true, "multi-segment entry"},
    {"/api/v1/statusboard", false, "another last segment"},
    {"/api/v1", false, "above the entry"},
    {"/admin", false, "not excluded at all"},
    {"", false, "no path"},
    {"health", false, "relative path"},
    // Path parameters (Tomcat, Jetty, Spring route /public/..;/admin to /admin).
    {"/public/..;/admin", false, "';' with dot segment"},
    {"/public;jsessionid=1/x", false, "';' parameter"},
    {"/health;/../admin", false, "';' before dots"},
    {"/public/%3b/x", false, "encoded ';'"},
    // Dot segments in any encoding.
    {"/public/../admin", false, "'..' segment"},
    {"/public/./x", false, "'.' segment"},
    {"/public/...", false, "dots-only segment"},
    {"/health/..", false, "trailing '..'"},
    {"/public/%2e%2e/admin", false, "encoded '..'"},
    {"/public/%2E%2E/admin", false, "encoded '..' upper case"},
    {"/public/.%2e/admin", false, "half-encoded '..'"},
    {"/public/%252e%252e/admin", false, "double-encoded '..'"},
    {"/public/%c0%ae%c0%ae/admin", false, "overlong UTF-8 '.'"},
    {"/public/%e0%80%ae/admin", false, "3-byte overlong UTF-8 '.'"},
    {"/public/%u002e%u002e/admin", false, "IIS %u escape"},
    {"/public/file%2etxt", false, "any encoded dot"},
    // Slashes and backslashes.
    {"/public/..%2fadmin", false, "encoded slash"},
    {"/public%2f..%2fadmin", false, "encoded slashes"},
    {"/public/..\\admin", false, "backslash"},
    {"/public/%5c../admin", false, "encoded backslash"},
    {"//public/x", false, "empty first segment"},
    {"/public//x", false, "empty segment"},
    // Bytes that are not printable ASCII, and malformed escapes.
    {"/public/\xc3\xa9t\xc3\xa9", false, "raw UTF-8"},
    {"/public/a b", false, "space"},
    {"/public/a\tb", false, "tab"},
    {absl::string_view("/public/a\0b", 11), false, "raw NUL"},
    {"/public/%00/x", false, "encoded NUL"},
    {"/public/%zz", false, "malformed escape"},
    {"/public/%2", false, "truncated escape"},
    {"/public/%", false, "bare percent"},
    // Escapes of harmless characters decode and match.
    {"/publi%63/x", true, "encoded letter"},
    {"/public/a%20b", false, "encoded space is not printable"},
    {"/public/caf%C3%A9", false, "encoded non-ASCII"},
    {"/health/%41", true, "encoded 'A'"},
};

class ExclusionPathsTable : public ::testing::TestWithParam<Row> {};

TEST_P(ExclusionPathsTable, Decides) {
  auto paths = ExclusionPaths::Compile(kEntries);
  ASSERT_TRUE(paths.ok()) << paths.status();
  const Row& row = GetParam();
  EXPECT_EQ(paths->Matches(row.path), row.excluded) << row.path << " (" << row.why << ")";
}

INSTANTIATE_TEST_SUITE_P(Paths, ExclusionPathsTable, ::testing::ValuesIn(kRows));

TEST(ExclusionPathsTest, TableIsLargeEnough) { EXPECT_GE(std::size(kRows), 40u); }

TEST(ExclusionPathsTest, EntriesMustBeInNormalForm) {
  for (const char* bad : {"", "health", "/a/../b", "/a/./b", "/a//b", "/a;b", "/a%2eb", "/a\\b", "/a*b", "/a?x", "/a#x",
                          "/caf\xc3\xa9", "/a b"}) {
    auto paths = ExclusionPaths::Compile({"/ok", bad});
    ASSERT_FALSE(paths.ok()) << bad;
    EXPECT_THAT(std::string(paths.status().message()), HasSubstr("exclusion_paths[1]")) << bad;
  }
  for (const char* good : {"/", "/a", "/a/", "/a*", "/a/b-c_d.e~f", "/A"}) {
    EXPECT_TRUE(ExclusionPaths::Compile({good}).ok()) << good;
  }
}

TEST(ExclusionPathsTest, RootEntryExcludesEveryNormalPath) {
  auto paths = ExclusionPaths::Compile({"/"});
  ASSERT_TRUE(paths.ok());
  EXPECT_TRUE(paths->Matches("/"));
  EXPECT_TRUE(paths->Matches("/anything/below"));
  EXPECT_FALSE(paths->Matches("/a/../b"));
}

TEST(ExclusionPathsTest, NoEntriesExcludeNothing) {
  ExclusionPaths none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Matches("/health"));
}

}  // namespace
}  // namespace certguard::policy
