// Pattern matchers used by identity rules: globs, SAN patterns, hex fingerprints.
#include <gtest/gtest.h>

#include "server/policy/matchers/fingerprint_set.h"
#include "server/policy/matchers/glob.h"
#include "server/policy/matchers/san_matcher.h"

namespace certguard::policy {
namespace {

TEST(GlobTest, Table) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  const Case cases[] = {
      {"spiffe://a/ns/*/sa/web", "spiffe://a/ns/prod/sa/web", true},
      {"spiffe://a/ns/*/sa/web", "spiffe://a/ns/prod/x/sa/web", false},
      {"spiffe://a/**", "spiffe://a/ns/prod/sa/web", true},
      {"https://*.example.com/x", "https://api.example.com/x", true},
      {"exact", "exact", true},
      {"exact", "exact2", false},
      {"*", "", false},  // a whole-segment star matches at least one character
      {"*", "x", true},
      {"a/*/b", "a//b", false},
      {"a/**", "a/", false},
      {"a/**", "a/b", true},
      {"pre*", "pre", true},  // a star inside a segment may match nothing
      {"a*b*c", "aXXbYYc", true},
      {"a*b*c", "aXXbYY", false},
      {"**", "anything/at/all", true},
  };
  for (const Case& c : cases) EXPECT_EQ(GlobMatch(c.pattern, c.text), c.match) << c.pattern << " ~ " << c.text;
  // Pathological input stays polynomial.
  EXPECT_FALSE(GlobMatch(std::string(200, '*') + "b", std::string(5000, 'a')));
}

x509::SubjectAltNames Sans() {
  x509::SubjectAltNames s;
  s.dns = {"api.example.com", "Deep.Sub.Example.com"};
  s.uri = {"spiffe://td/ns/prod/sa/api"};
  s.email = {"Ops@Example.com"};
  s.ip = {"10.0.0.1", "2001:db8::1"};
  return s;
}

v1::SanMatcher M(v1::SanType type, const char* field, const char* value) {
  v1::SanMatcher m;
  m.set_type(type);
  if (std::string(field) == "exact") m.set_exact(value);
  if (std::string(field) == "suffix") m.set_suffix(value);
  if (std::string(field) == "wildcard") m.set_wildcard(value);
  if (std::string(field) == "glob") m.set_glob(value);
  return m;
}

TEST(SanMatcherTest, Table) {
  struct Case {
    v1::SanType type;
    const char* field;
    const char* value;
    bool match;
  };
  const Case cases[] = {
      {v1::DNS, "exact", "API.example.com", true},
      {v1::DNS, "exact", "example.com", false},
      {v1::DNS, "wildcard", "*.example.com", true},      // api.example.com
      {v1::DNS, "wildcard", "*.sub.example.com", true},  // deep.sub.example.com
      {v1::DNS, "wildcard", "*.com", false},             // one label only
      {v1::DNS, "suffix", ".example.com", true},
      {v1::DNS, "suffix", ".example.org", false},
      {v1::URI, "glob", "spiffe://td/ns/*/sa/api", true},
      {v1::URI, "glob", "spiffe://td/*/api", false},
      {v1::URI, "exact", "spiffe://td/ns/prod/sa/api", true},
      {v1::EMAIL, "exact", "ops@example.com", false},  // the local part is case-sensitive (RFC 5280 7.5)
      {v1::EMAIL, "exact", "Ops@EXAMPLE.com", true},   // the domain is not
      {v1::EMAIL, "suffix", "@example.com", true},
      {v1::IP, "exact", "2001:0db8:0:0::1", true},
      {v1::IP, "exact", "10.0.0.2", false},
  };
  for (const Case& c : cases) {
    auto m = SanMatcher::Create(M(c.type, c.field, c.value));
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->Matches(Sans()), c.match) << m->ToString();
  }
}

TEST(SanMatcherTest, InvalidPatterns) {
  EXPECT_FALSE(SanMatcher::Create(M(v1::SAN_TYPE_UNSPECIFIED, "exact", "x")).ok());
  EXPECT_FALSE(SanMatcher::Create(M(v1::URI, "wildcard", "*.x.com")).ok());
  EXPECT_FALSE(SanMatcher::Create(M(v1::DNS, "wildcard", "a.*.com")).ok());
  EXPECT_FALSE(SanMatcher::Create(M(v1::IP, "exact", "not-an-ip")).ok());
  v1::SanMatcher two = M(v1::DNS, "exact", "a");
  two.set_suffix(".b");
  EXPECT_FALSE(SanMatcher::Create(two).ok());
}

TEST(FingerprintSetTest, NormalisesCaseAndSeparators) {
  auto set = FingerprintSet::Create({"ab:cd:EF:01", "0A 0B"}, {});
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->Contains("ABCDEF01"));
  EXPECT_TRUE(set->Contains("0A0B"));
  EXPECT_FALSE(set->Contains("abcdef01"));  // lookups use normalised input
  EXPECT_FALSE(FingerprintSet::Create({"xyz"}, {}).ok());
  EXPECT_FALSE(FingerprintSet::Create({"ABCD"}, {40, 64}).ok());
  auto serials = FingerprintSet::Create({"00:01:F0"}, {}, /*strip_leading_zeros=*/true);
  ASSERT_TRUE(serials.ok());
  EXPECT_TRUE(serials->Contains("1F0"));
}

}  // namespace
}  // namespace certguard::policy
