// Distinguished names (matchers/name_matcher.h, `dn`): a pattern is compared exactly with the
// RFC 2253 text that certguard prints as identity.subject / identity.issuer, so the printed
// form always matches itself (round trip), and only it: RDN order, multi-valued RDNs, case and
// escapes are part of the name. String types do not matter (every value is converted to UTF-8
// before printing; bytes above 0x7F print as \XX escapes).
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include "server/policy/matchers/name_matcher.h"
#include "server/x509/certificate.h"
#include "tests/testing/cert_factory.h"

namespace certguard::policy {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::ResignedDer;
using ::certguard::testing::TestCert;

struct Entry {
  const char* type;
  std::string value;
  int string_type = MBSTRING_UTF8;
  bool joins_previous = false;  // same RDN as the entry before (a multi-valued RDN)
};

// The subject DN as certguard prints it, for a certificate whose subject is `entries`.
std::string PrintedSubject(const std::vector<Entry>& entries) {
  static const TestCert* const base = new TestCert(CertFactory::SelfSigned({.cn = "base"}));
  const std::string der = ResignedDer(*base, *base, [&](X509* x) {
    X509_NAME* name = X509_NAME_new();
    for (const Entry& e : entries) {
      const int set = e.joins_previous ? X509_NAME_entry_count(name) - 1 : -1;
      X509_NAME_add_entry_by_txt(name, e.type, e.string_type, reinterpret_cast<const unsigned char*>(e.value.data()),
                                 static_cast<int>(e.value.size()), set == -1 ? -1 : set, e.joins_previous ? 1 : 0);
    }
    X509_set_subject_name(x, name);
    X509_NAME_free(name);
  });
  auto cert = x509::Certificate::FromDer(der);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return cert.ok() ? (*cert)->info().subject_dn : "";
}

bool DnMatches(const std::string& pattern, const std::string& printed) {
  v1::NameMatcher proto;
  proto.add_dn(pattern);
  const std::string cn, none;
  const std::vector<std::string> empty;
  return !NameMatcher(proto).Mismatch({printed, cn, empty, empty}).has_value();
}

struct Row {
  const char* name;
  std::vector<Entry> subject;
  std::string printed;                    // what certguard prints (and what matches)
  std::vector<std::string> non_matching;  // patterns that look alike and do not match
};

TEST(DnTest, PrintedFormRoundTripsAndNothingElseMatches) {
  const Row rows[] = {
      {"plain",
       {{"O", "Contoso"}, {"CN", "app"}},
       "CN=app,O=Contoso",
       {"O=Contoso,CN=app", "cn=app,o=Contoso", "CN=App,O=Contoso", "CN=app, O=Contoso", "CN=app"}},
      {"comma in a value", {{"O", "b"}, {"CN", "a,O=b"}}, "CN=a\\,O=b,O=b", {"CN=a,O=b,O=b", "CN=a,O=b"}},
      // RFC 2253 prints the RDNs last first; OpenSSL also reverses the values within one.
      {"multi-valued RDN",
       {{"O", "x"}, {"CN", "a"}, {"OU", "b", MBSTRING_UTF8, true}},
       "OU=b+CN=a,O=x",
       {"CN=a,OU=b,O=x", "CN=a+OU=b,O=x", "OU=b,CN=a,O=x"}},
      {"non-ASCII", {{"CN", "caf\xc3\xa9"}}, "CN=caf\\C3\\A9", {"CN=caf\xc3\xa9", "CN=cafe"}},
      {"leading space", {{"CN", " a"}}, "CN=\\ a", {"CN= a", "CN=a"}},
      {"quote and plus", {{"CN", "a\"+b"}}, "CN=a\\\"\\+b", {"CN=a\"+b"}},
      {"PrintableString", {{"CN", "app", V_ASN1_PRINTABLESTRING}}, "CN=app", {"CN=APP"}},
      {"UTF8String", {{"CN", "app", V_ASN1_UTF8STRING}}, "CN=app", {"CN=APP"}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const std::string printed = PrintedSubject(row.subject);
    EXPECT_EQ(printed, row.printed);
    EXPECT_TRUE(DnMatches(printed, printed));  // identity.subject copied into a policy matches
    for (const std::string& other : row.non_matching) EXPECT_FALSE(DnMatches(other, printed)) << other;
  }
}

}  // namespace
}  // namespace certguard::policy
