// SPIFFE IDs (matchers/spiffe_id.h): one row per ID, valid or not, with the rule it breaks, and
// how an ID that does not parse fares against the patterns that would otherwise match it.
#include "server/policy/matchers/spiffe_id.h"

#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "server/policy/matchers/glob.h"
#include "server/policy/matchers/san_matcher.h"
#include "tests/testing/printable_name.h"

namespace certguard::policy {
namespace {

struct Row {
  std::string id;
  bool valid;
  const char* why;
};

// Test names in CTest show the row, not its bytes.
void PrintTo(const Row& row, std::ostream* os) { certguard::testing::PrintAsTestName(row.why, os); }

const Row kRows[] = {
    // Valid (SPIFFE ID standard §2, go-spiffe spiffeid tests).
    {"spiffe://example.org", true, "trust domain only"},
    {"spiffe://example.org/workload", true, "one segment"},
    {"spiffe://example.org/ns/prod/sa/web", true, "several segments"},
    {"spiffe://td/ns/payments/sa/api", true, "short trust domain"},
    {"spiffe://trust_domain-1.example.org/a", true, "_ - . in the trust domain"},
    {"spiffe://example.org/A.b-C_d", true, "upper case and . - _ in the path"},
    {"spiffe://example.org/a/.../b", true, "'...' is an ordinary segment"},
    {"spiffe://example.org/.hidden", true, "a segment starting with a dot"},
    {"spiffe://1.2.3.4/x", true, "digits and dots are allowed characters"},
    {"spiffe://example.org/" + std::string(2048 - 21, 'a'), true, "exactly 2048 bytes"},
    // Scheme.
    {"SPIFFE://example.org/a", false, "upper-case scheme"},
    {"Spiffe://example.org/a", false, "mixed-case scheme"},
    {"spiffe:/example.org/a", false, "one slash"},
    {"spiffe:example.org", false, "no authority"},
    {"https://example.org/a", false, "another scheme"},
    {"", false, "empty"},
    // Trust domain.
    {"spiffe://", false, "empty trust domain"},
    {"spiffe:///path", false, "empty trust domain before a path"},
    {"spiffe://Example.org/a", false, "upper-case trust domain"},
    {"spiffe://example.org:8080/a", false, "port"},
    {"spiffe://user@example.org/a", false, "userinfo"},
    {"spiffe://exa%6dple.org/a", false, "percent-encoded trust domain"},
    {"spiffe://ex ample.org/a", false, "space"},
    {"spiffe://" + std::string(256, 'a'), false, "trust domain over 255 bytes"},
    // Path.
    {"spiffe://example.org/", false, "trailing slash (empty segment)"},
    {"spiffe://td/ns/payments/", false, "trailing slash after segments"},
    {"spiffe://td/ns//sa/payments", false, "empty segment"},
    {"spiffe://td/ns/payments/../admin", false, "'..' segment"},
    {"spiffe://td/ns/./sa", false, "'.' segment"},
    {"spiffe://td/..", false, "'..' as the only segment"},
    {"spiffe://td/ns/payments/%2e%2e/admin", false, "percent-encoded dots"},
    {"spiffe://td/ns/a%2Fb", false, "percent-encoded slash"},
    {"spiffe://td/ns/a/sa/payments#x", false, "fragment"},
    {"spiffe://td/ns/a?x=1", false, "query"},
    {"spiffe://td/ns/a b", false, "space in the path"},
    {"spiffe://td/ns/a\\b", false, "backslash"},
    {"spiffe://td/ns/caf\xc3\xa9", false, "non-ASCII in the path"},
    {"spiffe://td/ns/a:b", false, "':' in the path"},
    {"spiffe://td/ns/a@b", false, "'@' in the path"},
    {"spiffe://example.org/" + std::string(2048 - 20, 'a'), false, "over 2048 bytes"},
};

class SpiffeIdTable : public ::testing::TestWithParam<Row> {};

TEST_P(SpiffeIdTable, Parses) {
  const Row& row = GetParam();
  const absl::StatusOr<SpiffeId> parsed = ParseSpiffeId(row.id);
  EXPECT_EQ(parsed.ok(), row.valid) << row.id << " (" << row.why << "): " << parsed.status();
  if (!parsed.ok()) {
    EXPECT_FALSE(parsed.status().message().empty());
    // An ID that does not parse matches no pattern, however broad.
    for (const char* pattern : {"spiffe://**", "spiffe://td/**", "spiffe://td/ns/*/sa/payments"}) {
      v1::SanMatcher proto;
      proto.set_type(v1::URI);
      proto.set_glob(pattern);
      auto matcher = SanMatcher::Create(proto);
      ASSERT_TRUE(matcher.ok()) << pattern << ": " << matcher.status();
      x509::SubjectAltNames sans;
      sans.uri = {row.id};
      EXPECT_FALSE(matcher->Matches(sans)) << pattern << " matched " << row.id;
      EXPECT_TRUE(matcher->Unparsable(row.id).has_value());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ids, SpiffeIdTable, ::testing::ValuesIn(kRows));

TEST(SpiffeIdTest, TableIsLargeEnough) { EXPECT_GE(std::size(kRows), 30u); }

TEST(SpiffeIdTest, PartsAndReasons) {
  auto id = ParseSpiffeId("spiffe://example.org/ns/prod");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->trust_domain, "example.org");
  EXPECT_EQ(id->path, "/ns/prod");
  EXPECT_EQ(ParseSpiffeId("spiffe://example.org:1/").status().message(), "the trust domain must not have a port");
  EXPECT_EQ(ParseSpiffeId("spiffe://td/a/../b").status().message(), "the path must not have '.' or '..' segments");
  EXPECT_EQ(ParseSpiffeId("spiffe://td/a/%2e").status().message(), "the path must not be percent-encoded");
  EXPECT_EQ(ParseSpiffeId("spiffe://td/a/").status().message(), "the path must not end with /");
}

TEST(SpiffeIdTest, GlobsMatchWholeSegmentsOfValidIds) {
  // '*' stays within a segment and a whole-segment star matches at least one character;
  // '**' spans segments.
  struct G {
    const char* pattern;
    const char* id;
    bool match;
  };
  for (const G& g : {G{"spiffe://td/ns/*/sa/payments", "spiffe://td/ns/prod/sa/payments", true},
                     G{"spiffe://td/ns/*/sa/payments", "spiffe://td/ns/a/b/sa/payments", false},
                     G{"spiffe://td/ns/payments/**", "spiffe://td/ns/payments/x/y", true},
                     G{"spiffe://td/ns/payments/**", "spiffe://td/ns/payments", false},
                     G{"spiffe://td/ns/pay*", "spiffe://td/ns/payments", true},
                     G{"spiffe://td/ns/pay*", "spiffe://td/ns/pay", true}}) {
    ASSERT_TRUE(ParseSpiffeId(g.id).ok()) << g.id;
    EXPECT_EQ(GlobMatch(g.pattern, g.id), g.match) << g.pattern << " ~ " << g.id;
  }
}

}  // namespace
}  // namespace certguard::policy
