// DNS names, e-mail addresses and IP addresses (matchers/san_matcher.h): one row per pattern
// and certificate name. A name that does not parse as its type matches nothing.
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "server/policy/matchers/san_matcher.h"
#include "tests/testing/printable_name.h"

namespace certguard::policy {
namespace {

struct Row {
  v1::SanType type;
  const char* kind;  // exact, suffix, wildcard
  const char* pattern;
  std::string name;  // as the certificate carries it
  bool match;
  const char* why;
};

// Test names in CTest show the row, not its bytes.
void PrintTo(const Row& row, std::ostream* os) { certguard::testing::PrintAsTestName(row.why, os); }

const Row kRows[] = {
    // DNS: RFC 1034 syntax, ASCII case-insensitive, A-labels compared as ASCII.
    {v1::DNS, "exact", "api.example.com", "api.example.com", true, "equal"},
    {v1::DNS, "exact", "api.example.com", "API.Example.COM", true, "case-insensitive"},
    {v1::DNS, "exact", "api.example.com", "api.example.com.", true, "trailing dot"},
    {v1::DNS, "exact", "xn--caf-dma.example", "xn--caf-dma.example", true, "A-label"},
    {v1::DNS, "exact", "xn--caf-dma.example", "XN--CAF-DMA.example", true, "A-label, other case"},
    {v1::DNS, "exact", "xn--caf-dma.example", "caf\xc3\xa9.example", false, "U-label is not a DNS name"},
    {v1::DNS, "exact", "api.example.com", "api.example.com\\", false, "backslash"},
    {v1::DNS, "exact", "api.example.com", "api..example.com", false, "empty label"},
    {v1::DNS, "suffix", ".example.com", "a.b.example.com", true, "subdomain"},
    {v1::DNS, "suffix", ".example.com", "evilexample.com", false, "label boundary"},
    {v1::DNS, "suffix", ".example.com", "a_b.example.com", false, "underscore is not LDH"},
    {v1::DNS, "suffix", ".example.com", "-a.example.com", false, "leading hyphen"},
    {v1::DNS, "wildcard", "*.example.com", "api.example.com", true, "one label"},
    {v1::DNS, "wildcard", "*.example.com", "a.b.example.com", false, "two labels"},
    {v1::DNS, "wildcard", "*.example.com", "*.example.com", false, "a wildcard name is not one label"},
    // EMAIL: local part exact, domain case-insensitive (RFC 5280 7.5).
    {v1::EMAIL, "exact", "ops@example.com", "ops@example.com", true, "equal"},
    {v1::EMAIL, "exact", "ops@example.com", "ops@EXAMPLE.com", true, "domain case"},
    {v1::EMAIL, "exact", "ops@example.com", "Ops@example.com", false, "local part case"},
    {v1::EMAIL, "exact", "ops@example.com", "ops@example.com@evil.org", false, "two '@'"},
    {v1::EMAIL, "exact", "ops@example.com", "ops @example.com", false, "space in the local part"},
    {v1::EMAIL, "suffix", "@example.com", "anyone@Example.com", true, "whole domain"},
    {v1::EMAIL, "suffix", "@example.com", "a@sub.example.com", false, "subdomain is another domain"},
    {v1::EMAIL, "suffix", ".example.com", "a@sub.example.com", true, "subdomains"},
    {v1::EMAIL, "suffix", ".example.com", "a@example.com", false, "not the domain itself"},
    {v1::EMAIL, "suffix", "@example.com", "a@evil-example.com", false, "domain boundary"},
    {v1::EMAIL, "suffix", "@example.com", "a@example.com.evil", false, "suffix of the domain"},
    // IP: address bytes of one family.
    {v1::IP, "exact", "10.0.0.7", "10.0.0.7", true, "equal"},
    {v1::IP, "exact", "10.0.0.7", "::ffff:10.0.0.7", false, "IPv4-mapped IPv6 is another address"},
    {v1::IP, "exact", "::ffff:10.0.0.7", "::ffff:10.0.0.7", true, "the mapped form when the rule says so"},
    {v1::IP, "exact", "2001:db8::1", "2001:0db8:0:0:0:0:0:1", true, "IPv6 text forms"},
    {v1::IP, "exact", "10.0.0.7", "10.0.0.07", false, "not an address (leading zero)"},
    {v1::IP, "exact", "10.0.0.7", "10.0.0.8", false, "another address"},
};

class NamesTable : public ::testing::TestWithParam<Row> {};

TEST_P(NamesTable, Matches) {
  const Row& row = GetParam();
  v1::SanMatcher proto;
  proto.set_type(row.type);
  if (std::string(row.kind) == "exact") proto.set_exact(row.pattern);
  if (std::string(row.kind) == "suffix") proto.set_suffix(row.pattern);
  if (std::string(row.kind) == "wildcard") proto.set_wildcard(row.pattern);
  auto m = SanMatcher::Create(proto);
  ASSERT_TRUE(m.ok()) << row.pattern << ": " << m.status();
  x509::SubjectAltNames sans;
  (row.type == v1::DNS ? sans.dns : row.type == v1::EMAIL ? sans.email : sans.ip) = {row.name};
  EXPECT_EQ(m->Matches(sans), row.match) << m->ToString() << " ~ " << row.name << " (" << row.why << ")";
}

INSTANTIATE_TEST_SUITE_P(Names, NamesTable, ::testing::ValuesIn(kRows));

TEST(NamesTest, PatternsThatCanMatchNothingAreRefused) {
  struct Bad {
    v1::SanType type;
    const char* kind;
    const char* pattern;
  };
  for (const Bad& b :
       {Bad{v1::DNS, "exact", "a..b"}, Bad{v1::DNS, "suffix", "example.com"}, Bad{v1::DNS, "wildcard", "*.*.com"},
        Bad{v1::EMAIL, "exact", "no-at-sign"}, Bad{v1::EMAIL, "suffix", "example.com"}, Bad{v1::IP, "exact", "10.0.0"},
        Bad{v1::DNS, "glob", "*.example.com"}}) {
    v1::SanMatcher proto;
    proto.set_type(b.type);
    if (std::string(b.kind) == "exact") proto.set_exact(b.pattern);
    if (std::string(b.kind) == "suffix") proto.set_suffix(b.pattern);
    if (std::string(b.kind) == "wildcard") proto.set_wildcard(b.pattern);
    if (std::string(b.kind) == "glob") proto.set_glob(b.pattern);
    EXPECT_FALSE(SanMatcher::Create(proto).ok()) << b.kind << " " << b.pattern;
  }
}

}  // namespace
}  // namespace certguard::policy
