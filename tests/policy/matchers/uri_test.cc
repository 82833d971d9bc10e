// URIs (matchers/uri.h): one row per URI, in RFC 3986 normal form or not, and URI patterns:
// a URI that is not in normal form matches nothing; a query or fragment only a pattern that
// names one.
#include "server/policy/matchers/uri.h"

#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "server/policy/matchers/san_matcher.h"
#include "tests/testing/printable_name.h"

namespace certguard::policy {
namespace {

struct Row {
  std::string uri;
  bool normal;
  const char* why;
};

// Test names in CTest show the row, not its bytes.
void PrintTo(const Row& row, std::ostream* os) { certguard::testing::PrintAsTestName(row.why, os); }

const Row kRows[] = {
    // Normal form.
    {"https://example.com/a/b", true, "plain"},
    {"https://example.com", true, "no path"},
    {"https://example.com/", true, "root path"},
    {"https://example.com/a/", true, "trailing slash"},
    {"https://user@example.com:8443/a", true, "userinfo and port"},
    {"https://[2001:db8::1]/a", true, "IPv6 literal"},
    {"https://example.com/a%20b", true, "escaped space in upper-case hex"},
    {"https://example.com/caf%C3%A9", true, "escaped UTF-8"},
    {"https://example.com/a?x=1&y=2", true, "query"},
    {"https://example.com/a#frag", true, "fragment"},
    {"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", true, "URN"},
    {"mailto:ops@example.com", true, "mailto"},
    {"spiffe://td/ns/prod/sa/web", true, "a SPIFFE ID is a normal-form URI"},
    {"https://example.com/a/.../b", true, "'...' is an ordinary segment"},
    {"https://example.com/~user/a-b_c.d", true, "unreserved characters"},
    {"svn+ssh://example.com/repo", true, "scheme with + "},
    // Not in normal form (RFC 3986 6.2.2).
    {"HTTPS://example.com/a", false, "upper-case scheme"},
    {"Https://example.com/a", false, "mixed-case scheme"},
    {"https://Example.com/a", false, "upper-case host"},
    {"https://example.com/a/../admin", false, "'..' segment"},
    {"https://example.com/a/./b", false, "'.' segment"},
    {"https://example.com/..", false, "trailing '..'"},
    {"https://example.com/a/%2e%2e/admin", false, "escaped dots (lower-case hex)"},
    {"https://example.com/a/%2E%2E/admin", false, "escaped dots (unreserved escaped)"},
    {"https://example.com/%7Euser", false, "escaped '~' (unreserved)"},
    {"https://example.com/%41", false, "escaped letter"},
    {"https://example.com/a%2fb", false, "lower-case hex escape"},
    {"https://example.com/a%2", false, "escape cut short"},
    {"https://example.com/a%zz", false, "escape not hex"},
    {"https://example.com/%u002e", false, "IIS %u escape"},
    // Characters RFC 3986 does not allow.
    {"https://example.com/a b", false, "space"},
    {"https://example.com/a\\b", false, "backslash"},
    {"https://example.com/caf\xc3\xa9", false, "raw non-ASCII"},
    {"https://example.com/a\"b", false, "double quote"},
    {"https://example.com/a<b>", false, "angle brackets"},
    {"https://example.com/a{b}|c^d`", false, "{ } | ^ `"},
    {"https://example.com/a\tb", false, "control character"},
    {"https://example.com/a#b#c", false, "second '#'"},
    {"https://example.com/a[1]", false, "brackets outside the host"},
    // Not absolute.
    {"//example.com/a", false, "no scheme"},
    {"/a/b", false, "relative path"},
    {"1https://example.com", false, "scheme starting with a digit"},
    {"", false, "empty"},
};

class UriTable : public ::testing::TestWithParam<Row> {};

TEST_P(UriTable, Parses) {
  const Row& row = GetParam();
  const absl::StatusOr<UriParts> parts = ParseNormalUri(row.uri);
  EXPECT_EQ(parts.ok(), row.normal) << row.uri << " (" << row.why << "): " << parts.status();
  // A URI not in normal form matches no pattern, however broad; one in normal form matches
  // the broad pattern of its scheme unless it has a query or fragment, which the pattern
  // does not name.
  x509::SubjectAltNames sans;
  sans.uri = {row.uri};
  bool matched = false;
  for (const char* broad : {"https://**", "urn:**", "mailto:**", "svn+ssh://**"}) {
    v1::SanMatcher proto;
    proto.set_type(v1::URI);
    proto.set_glob(broad);
    auto any = SanMatcher::Create(proto);
    ASSERT_TRUE(any.ok()) << broad << ": " << any.status();
    matched = matched || any->Matches(sans);
  }
  const bool plain = row.uri.find_first_of("?#") == std::string::npos;
  if (row.normal && plain && !absl::StartsWith(row.uri, "spiffe:")) {
    EXPECT_TRUE(matched) << row.uri;
  } else if (!row.normal || !plain) {
    EXPECT_FALSE(matched) << row.uri;
  }
}

INSTANTIATE_TEST_SUITE_P(Uris, UriTable, ::testing::ValuesIn(kRows));

TEST(UriTest, TableIsLargeEnough) { EXPECT_GE(std::size(kRows), 30u); }

TEST(UriTest, Parts) {
  auto p = ParseNormalUri("https://u@example.com:8443/a/b?q=1#f");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->scheme, "https");
  EXPECT_EQ(*p->authority, "u@example.com:8443");
  EXPECT_EQ(p->path, "/a/b");
  EXPECT_EQ(*p->query, "q=1");
  EXPECT_EQ(*p->fragment, "f");
}

struct PatternRow {
  const char* kind;  // exact, glob, suffix
  const char* pattern;
  const char* uri;
  bool match;
};

// Test names in CTest show the row, not its bytes.
void PrintTo(const PatternRow& row, std::ostream* os) {
  certguard::testing::PrintAsTestName(std::string(row.kind) + " " + row.pattern + " vs " + row.uri, os);
}

class UriPatternTable : public ::testing::TestWithParam<PatternRow> {};

TEST_P(UriPatternTable, Matches) {
  const PatternRow& row = GetParam();
  v1::SanMatcher proto;
  proto.set_type(v1::URI);
  if (std::string(row.kind) == "exact") proto.set_exact(row.pattern);
  if (std::string(row.kind) == "glob") proto.set_glob(row.pattern);
  if (std::string(row.kind) == "suffix") proto.set_suffix(row.pattern);
  auto m = SanMatcher::Create(proto);
  ASSERT_TRUE(m.ok()) << row.pattern << ": " << m.status();
  x509::SubjectAltNames sans;
  sans.uri = {row.uri};
  EXPECT_EQ(m->Matches(sans), row.match) << row.kind << " " << row.pattern << " ~ " << row.uri;
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, UriPatternTable,
    ::testing::Values(PatternRow{"exact", "https://example.com/a", "https://example.com/a", true},
                      PatternRow{"exact", "https://example.com/a", "https://EXAMPLE.com/a", false},
                      PatternRow{"exact", "https://example.com/a", "https://example.com/a?x", false},
                      PatternRow{"glob", "https://example.com/**", "https://example.com/a/b", true},
                      PatternRow{"glob", "https://example.com/**", "https://example.com/a?x=1", false},
                      PatternRow{"glob", "https://example.com/**", "https://example.com/a#f", false},
                      PatternRow{"glob", "https://example.com/**?**", "https://example.com/a?x=1", true},
                      PatternRow{"glob", "https://example.com/**#*", "https://example.com/a#f", true},
                      PatternRow{"glob", "https://example.com/a/*/c", "https://example.com/a/b/c", true},
                      PatternRow{"glob", "https://example.com/a/*/c", "https://example.com/a//c", false},
                      PatternRow{"glob", "https://example.com/a/*/c", "https://example.com/a/../c", false},
                      PatternRow{"glob", "https://example.com/a/*/c", "https://example.com/a/%2E/c", false},
                      PatternRow{"glob", "spiffe://td/ns/*/sa/payments", "spiffe://td/ns/../sa/payments", false},
                      PatternRow{"glob", "spiffe://td/ns/*/sa/payments", "spiffe://td/ns//sa/payments", false},
                      PatternRow{"glob", "spiffe://td/ns/*/sa/payments", "spiffe://td/ns/a/sa/payments#x", false},
                      PatternRow{"glob", "spiffe://td/ns/*/sa/payments", "spiffe://td/ns/a/sa/payments", true},
                      PatternRow{"suffix", "/sa/payments", "spiffe://td/ns/a/sa/payments", true},
                      PatternRow{"suffix", "/sa/payments", "spiffe://td/ns/../sa/payments", false}));

TEST(UriTest, PatternsThatCanMatchNothingAreRefused) {
  for (const char* bad : {"HTTPS://example.com/a", "https://example.com/a/../b", "https://example.com/%2e",
                          "spiffe://td/ns/", "spiffe://TD/x", "spiffe://td/a/*/../b"}) {
    v1::SanMatcher proto;
    proto.set_type(v1::URI);
    proto.set_glob(bad);
    EXPECT_FALSE(SanMatcher::Create(proto).ok()) << bad;
  }
}

}  // namespace
}  // namespace certguard::policy
