// Certificate source lists, identity header names and option validation.
#include "server/ext_authz/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certguard::ext_authz {
namespace {

using ::testing::HasSubstr;

struct SourceCase {
  std::string spec;
  std::string canonical;  // CertSourcesToString of the result; empty = expect an error
  std::string error;      // substring of the error
};

class ParseCertSourcesTest : public ::testing::TestWithParam<SourceCase> {};

TEST_P(ParseCertSourcesTest, ParsesOrRefuses) {
  const SourceCase& c = GetParam();
  absl::StatusOr<std::vector<CertSource>> sources = ParseCertSources(c.spec);
  if (c.canonical.empty()) {
    ASSERT_FALSE(sources.ok()) << c.spec;
    EXPECT_EQ(sources.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(sources.status().message()), HasSubstr(c.error));
  } else {
    ASSERT_TRUE(sources.ok()) << sources.status();
    EXPECT_EQ(CertSourcesToString(*sources), c.canonical);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseCertSourcesTest,
    ::testing::Values(SourceCase{"peer", "peer", ""},
                      SourceCase{"peer,x-forwarded-client-cert", "peer,x-forwarded-client-cert", ""},
                      SourceCase{" PEER , X-ARR-ClientCert ", "peer,x-arr-clientcert", ""},
                      SourceCase{"x-client-cert=url_encoded_pem", "x-client-cert=URL_ENCODED_PEM", ""},
                      SourceCase{"ssl-client-cert=NGINX_TABBED_PEM,peer", "ssl-client-cert=NGINX_TABBED_PEM,peer", ""},
                      SourceCase{"client-cert", "client-cert", ""}, SourceCase{"", "", "no certificate source"},
                      SourceCase{" , ,", "", "no certificate source"}, SourceCase{"peer,peer", "", "listed twice"},
                      SourceCase{"x-a,X-A", "", "listed twice"}, SourceCase{"peer=PEM", "", "takes no format"},
                      SourceCase{"x-a=NOPE", "", "unknown header format"},
                      SourceCase{"x-a=UNSPECIFIED", "", "unknown header format"},
                      SourceCase{"x a", "", "not \"peer\" or a header name"},
                      SourceCase{"x-a:b", "", "not \"peer\" or a header name"},
                      SourceCase{"client-cert-chain", "", "read together with client-cert"}));

TEST(CertSourcesTest, DefaultListIsThePeerCertificateThenXfcc) {
  // Only what Envoy itself vouches for: a client can set any other header.
  std::vector<CertSource> sources = DefaultCertSources();
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].kind, CertSource::Kind::kPeerCertificate);
  EXPECT_EQ(sources[0].format, headers::Format::kUrlEncodedPem);
  EXPECT_EQ(sources[1].header, "x-forwarded-client-cert");
  EXPECT_EQ(CertSourcesToString(sources), std::string(kDefaultCertSources));
  EXPECT_TRUE(ValidateOptions(ExtAuthzOptions()).ok());
}

TEST(CertSourcesTest, AllSourcesListParses) {
  std::vector<CertSource> sources = AllCertSources();
  ASSERT_GE(sources.size(), 3u);
  EXPECT_EQ(sources[0].kind, CertSource::Kind::kPeerCertificate);
  EXPECT_EQ(sources[2].header, "client-cert");
  const std::string all =
      "peer,x-forwarded-client-cert,client-cert,x-forwarded-tls-client-cert,"
      "x-amzn-mtls-clientcert-leaf,x-amzn-mtls-clientcert,cf-client-cert-der-base64,"
      "x-arr-clientcert,ssl-client-cert,x-ssl-client-cert";
  EXPECT_EQ(AllCertSourcesSpec(), all);
  EXPECT_EQ(CertSourcesToString(sources), all);
  EXPECT_TRUE(ValidateOptions(ExtAuthzOptions{.cert_sources = sources}).ok());
}

TEST(IdentityHeaderNamesTest, PrefixReplacesX) {
  absl::StatusOr<IdentityHeaderNames> names = IdentityHeaderNamesWithPrefix("x-");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->All(), IdentityHeaderNames().All());
  names = IdentityHeaderNamesWithPrefix("x-mtls-");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->subject, "x-mtls-client-cert-subject");
  EXPECT_EQ(names->sha256, "x-mtls-client-cert-sha256");
  EXPECT_EQ(names->issuer, "x-mtls-client-cert-issuer");
  EXPECT_EQ(names->spiffe_id, "x-mtls-client-spiffe-id");
  EXPECT_EQ(names->policy, "x-mtls-certguard-policy");
  EXPECT_EQ(names->revision, "x-mtls-certguard-revision");
  EXPECT_EQ(names->reason, "x-mtls-certguard-reason");
  EXPECT_FALSE(IdentityHeaderNamesWithPrefix("X-").ok());
  EXPECT_FALSE(IdentityHeaderNamesWithPrefix("x_").ok());
  EXPECT_FALSE(IdentityHeaderNamesWithPrefix("x\r\n").ok());
}

TEST(ValidateOptionsTest, RefusesClashesAndBadNames) {
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  options.identity_headers.subject = "x-arr-clientcert";  // a certificate source
  EXPECT_THAT(std::string(ValidateOptions(options).message()), HasSubstr("also a certificate source"));
  options = ExtAuthzOptions{.cert_sources = AllCertSources()};
  options.identity_headers.issuer = options.identity_headers.subject;
  EXPECT_THAT(std::string(ValidateOptions(options).message()), HasSubstr("used twice"));
  options = ExtAuthzOptions{.cert_sources = AllCertSources()};
  options.identity_headers.issuer = "X-Issuer";
  EXPECT_THAT(std::string(ValidateOptions(options).message()), HasSubstr("bad identity header name"));
  options = ExtAuthzOptions{.cert_sources = AllCertSources()};
  options.identity_headers.spiffe_id = "client-cert-chain";  // read with client-cert
  EXPECT_FALSE(ValidateOptions(options).ok());
  options = ExtAuthzOptions{.cert_sources = AllCertSources()};
  options.identity_headers.spiffe_id = "";  // not sent: fine
  EXPECT_TRUE(ValidateOptions(options).ok());
  options.policy_context_key = "";
  EXPECT_FALSE(ValidateOptions(options).ok());
}

}  // namespace
}  // namespace certguard::ext_authz
