// CheckRequest -> evaluator input: policy id, certificate source order, path and scheme.
#include "server/ext_authz/request_extraction.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certguard::ext_authz {
namespace {

using envoy::service::auth::v3::CheckRequest;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct RequestSpec {
  std::string peer;                                              // attributes.source.certificate
  std::map<std::string, std::string> headers;                    // attributes.request.http.headers
  std::vector<std::pair<std::string, std::string>> raw_headers;  // header_map (raw_value)
  std::map<std::string, std::string> context;                    // context_extensions
  std::string path = "/";
  std::string scheme = "https";
};

CheckRequest MakeRequest(const RequestSpec& spec) {
  CheckRequest request;
  auto* attributes = request.mutable_attributes();
  attributes->mutable_source()->set_certificate(spec.peer);
  auto* http = attributes->mutable_request()->mutable_http();
  for (const auto& [k, v] : spec.headers) (*http->mutable_headers())[k] = v;
  for (const auto& [k, v] : spec.raw_headers) {
    auto* h = http->mutable_header_map()->add_headers();
    h->set_key(k);
    h->set_raw_value(v);
  }
  for (const auto& [k, v] : spec.context) (*attributes->mutable_context_extensions())[k] = v;
  http->set_path(spec.path);
  http->set_scheme(spec.scheme);
  return request;
}

// The evaluator input as comparable text: "name|value|format" per header.
std::vector<std::string> Headers(const ExtractedRequest& e) {
  std::vector<std::string> out;
  for (const auto& h : e.input.headers) {
    out.push_back(std::string(h.name) + "|" + std::string(h.value) + "|" + std::string(headers::FormatName(h.format)));
  }
  return out;
}

struct SourceCase {
  std::string name;
  RequestSpec request;
  std::string sources;               // empty = default
  std::string used;                  // certificate_source
  std::vector<std::string> headers;  // Headers()
};

class CertificateSourceTest : public ::testing::TestWithParam<SourceCase> {};

TEST_P(CertificateSourceTest, FirstConfiguredSourceWithAValueWins) {
  const SourceCase& c = GetParam();
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  if (!c.sources.empty()) options.cert_sources = *ParseCertSources(c.sources);
  const CheckRequest request = MakeRequest(c.request);
  ExtractedRequest e = ExtractRequest(request, options);
  EXPECT_EQ(e.certificate_source, c.used);
  EXPECT_EQ(Headers(e), c.headers);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CertificateSourceTest,
    ::testing::Values(
        SourceCase{"PeerOnly",
                   {.peer = "-----BEGIN%20CERT"},
                   "",
                   "peer",
                   {":peer-certificate|-----BEGIN%20CERT|URL_ENCODED_PEM"}},
        SourceCase{"PeerBeatsHeaders",
                   {.peer = "P", .headers = {{"x-forwarded-client-cert", "X"}, {"x-arr-clientcert", "A"}}},
                   "",
                   "peer",
                   {":peer-certificate|P|URL_ENCODED_PEM"}},
        SourceCase{"BlankPeerFallsThrough",
                   {.peer = "  ", .headers = {{"x-forwarded-client-cert", "X"}}},
                   "",
                   "x-forwarded-client-cert",
                   {"x-forwarded-client-cert|X|UNSPECIFIED"}},
        SourceCase{"XfccBeatsArr",
                   {.headers = {{"x-arr-clientcert", "A"}, {"x-forwarded-client-cert", "X"}}},
                   "",
                   "x-forwarded-client-cert",
                   {"x-forwarded-client-cert|X|UNSPECIFIED"}},
        SourceCase{"ClientCertBringsItsChain",
                   {.headers = {{"client-cert", ":L:"}, {"client-cert-chain", ":I:"}}},
                   "",
                   "client-cert",
                   {"client-cert|:L:|UNSPECIFIED", "client-cert-chain|:I:|UNSPECIFIED"}},
        SourceCase{"ChainAloneIsNoCertificate", {.headers = {{"client-cert-chain", ":I:"}}}, "", "", {}},
        SourceCase{"ConfiguredOrderWins",
                   {.peer = "P", .headers = {{"x-arr-clientcert", "A"}, {"x-forwarded-client-cert", "X"}}},
                   "x-arr-clientcert,peer",
                   "x-arr-clientcert",
                   {"x-arr-clientcert|A|UNSPECIFIED"}},
        SourceCase{"ConfiguredFormat",
                   {.headers = {{"x-client-cert", "V"}}},
                   "x-client-cert=NGINX_TABBED_PEM",
                   "x-client-cert",
                   {"x-client-cert|V|NGINX_TABBED_PEM"}},
        SourceCase{"UnlistedHeaderIgnored", {.headers = {{"x-client-cert", "V"}}}, "", "", {}},
        SourceCase{"PeerNotListedIgnored", {.peer = "P"}, "x-forwarded-client-cert", "", {}},
        SourceCase{"BlankHeaderFallsThrough",
                   {.headers = {{"x-forwarded-client-cert", " "}, {"x-arr-clientcert", "A"}}},
                   "",
                   "x-arr-clientcert",
                   {"x-arr-clientcert|A|UNSPECIFIED"}},
        SourceCase{"RawHeaderMap",
                   {.raw_headers = {{"x-arr-clientcert", "A"}}},
                   "",
                   "x-arr-clientcert",
                   {"x-arr-clientcert|A|UNSPECIFIED"}},
        SourceCase{"RawHeaderMapRepeatsJoined",
                   {.raw_headers = {{"x-forwarded-client-cert", "E1"}, {"X-Forwarded-Client-Cert", "E2"}}},
                   "",
                   "x-forwarded-client-cert",
                   {"x-forwarded-client-cert|E1,E2|UNSPECIFIED"}},
        SourceCase{"NothingAtAll", {}, "", "", {}}),
    [](const ::testing::TestParamInfo<SourceCase>& info) { return info.param.name; });

TEST(RequestExtractionTest, ForwardedAndIdentityHeadersPresentAreListed) {
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  const CheckRequest request = MakeRequest({.peer = "P",
                                            .headers = {{"x-forwarded-client-cert", "X"},
                                                        {"client-cert-chain", ":I:"},
                                                        {"x-arr-clientcert", ""},
                                                        {"x-client-cert-subject", "CN=admin"},
                                                        {"x-certguard-policy", "p"},
                                                        {"accept", "*/*"}}});
  ExtractedRequest e = ExtractRequest(request, options);
  EXPECT_EQ(e.certificate_source, "peer");
  EXPECT_THAT(e.forwarded_headers_present,
              UnorderedElementsAre("x-forwarded-client-cert", "client-cert-chain", "x-arr-clientcert"));
  EXPECT_THAT(e.identity_headers_present, UnorderedElementsAre("x-client-cert-subject", "x-certguard-policy"));
}

struct PolicyCase {
  std::map<std::string, std::string> context;
  std::string default_policy;
  std::string policy;
  PolicySource source;
};

class PolicyIdTest : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(PolicyIdTest, FromContextExtensionsElseDefault) {
  const PolicyCase& c = GetParam();
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  options.default_policy = c.default_policy;
  const CheckRequest request = MakeRequest({.context = c.context});
  ExtractedRequest e = ExtractRequest(request, options);
  EXPECT_EQ(e.policy_id, c.policy);
  EXPECT_EQ(e.policy_source, c.source);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PolicyIdTest,
    ::testing::Values(PolicyCase{{{"certguard_policy", "seed"}}, "", "seed", PolicySource::kContextExtension},
                      PolicyCase{{{"certguard_policy", "seed"}}, "dflt", "seed", PolicySource::kContextExtension},
                      PolicyCase{{{"certguard_policy", ""}}, "dflt", "dflt", PolicySource::kDefault},
                      PolicyCase{{{"other", "seed"}}, "dflt", "dflt", PolicySource::kDefault},
                      PolicyCase{{{"other", "seed"}}, "", "", PolicySource::kNone},
                      PolicyCase{{}, "", "", PolicySource::kNone}));

TEST(RequestExtractionTest, ConfiguredPolicyKey) {
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  options.policy_context_key = "mtls_policy";
  const CheckRequest request = MakeRequest({.context = {{"certguard_policy", "a"}, {"mtls_policy", "b"}}});
  EXPECT_EQ(ExtractRequest(request, options).policy_id, "b");
}

struct SchemeCase {
  std::string scheme;
  std::optional<bool> https;
};

class SchemeTest : public ::testing::TestWithParam<SchemeCase> {};

TEST_P(SchemeTest, MapsToIsHttps) {
  const CheckRequest request = MakeRequest({.path = "/a?b=c", .scheme = GetParam().scheme});
  ExtractedRequest e = ExtractRequest(request, ExtAuthzOptions{.cert_sources = AllCertSources()});
  EXPECT_EQ(e.input.is_https, GetParam().https);
  EXPECT_EQ(e.input.path, "/a?b=c");
}

INSTANTIATE_TEST_SUITE_P(Table, SchemeTest,
                         ::testing::Values(SchemeCase{"https", true}, SchemeCase{"HTTPS", true},
                                           SchemeCase{"http", false}, SchemeCase{"", false}, SchemeCase{"ws", false},
                                           SchemeCase{"wss", false}, SchemeCase{"http ", false},
                                           SchemeCase{"https ", false}, SchemeCase{" https", false},
                                           SchemeCase{"httpss", false}, SchemeCase{std::string("https\0", 6), false}));

TEST(RequestExtractionTest, SurvivesAMove) {
  const CheckRequest request = MakeRequest({.raw_headers = {{"x-arr-clientcert", "a"}, {"x-arr-clientcert", "b"}}});
  ExtAuthzOptions options{.cert_sources = AllCertSources()};
  ExtractedRequest moved = ExtractRequest(request, options);
  ExtractedRequest e = std::move(moved);
  ASSERT_THAT(Headers(e), ElementsAre("x-arr-clientcert|a,b|UNSPECIFIED"));
  EXPECT_THAT(e.identity_headers_present, IsEmpty());
}

}  // namespace
}  // namespace certguard::ext_authz
