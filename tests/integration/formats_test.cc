// Every forwarding format round-trips from a generated certificate to the same identity
// through the running server (real binary, port 0). Certificates are valid 1970-9999, so the
// wall clock never changes an outcome.
#include <signal.h>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "tests/headers/header_test_util.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::certguard::testing::Y;
namespace h = ::certguard::headers::testutil;

struct Pki {
  TestCert root =
      CertFactory::SelfSigned({.cn = "Formats Root", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
  TestCert intermediate = CertFactory::Issue(
      {.cn = "Formats Issuing CA", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true}, root);
  TestCert leaf = CertFactory::Issue({.cn = "workload",
                                      .subject_extra = {{"O", "Contoso"}},
                                      .not_before = Y(1970),
                                      .not_after = Y(9999),
                                      .eku = {"clientAuth"},
                                      .san_dns = {"workload.contoso.com"},
                                      .san_uri = {"spiffe://contoso.com/ns/prod/sa/workload"},
                                      .san_email = {"ops@contoso.com"},
                                      .san_ip = {"10.1.2.3"}},
                                     intermediate);
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

struct FormatCase {
  std::string name;
  std::string policy;  // "chain": root only, chain must be forwarded; "leaf": intermediate configured
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  v1::HeaderFormat expected_format;
};

std::vector<FormatCase> Cases() {
  const std::string leaf_der = P().leaf.der(), int_der = P().intermediate.der();
  const std::string leaf_pem = h::PemOf(leaf_der), chain_pem = h::PemChain({leaf_der, int_der});
  const std::string body = P().leaf.pem_body();
  const std::string xfcc = absl::StrCat("By=spiffe://contoso.com/ns/edge/sa/gw;Hash=", h::Sha256HexLower(P().leaf),
                                        ";Cert=\"", h::FullEscape(leaf_pem), "\";Chain=\"", h::FullEscape(chain_pem),
                                        "\";Subject=\"O=Contoso,CN=workload;x=\\\"Cert=evil\\\"\";URI=spiffe://"
                                        "contoso.com/ns/prod/sa/workload;DNS=workload.contoso.com");
  return {
      {"AzureArrBase64Der", "leaf", {{"X-ARR-ClientCert", h::Base64(leaf_der)}}, v1::BASE64_DER},
      {"SeedPemBody", "leaf", {{"X-ARR-ClientCert", body}}, v1::PEM_BODY},
      {"FullPemChain", "chain", {{"X-Client-Cert", chain_pem}}, v1::PEM},
      {"NginxEscaped", "chain", {{"X-SSL-Client-Cert", h::FullEscape(chain_pem)}}, v1::URL_ENCODED_PEM},
      {"NginxTabbed", "leaf", {{"X-SSL-Client-Cert", h::NginxTabbed(leaf_pem)}}, v1::NGINX_TABBED_PEM},
      {"AlbPassthrough", "chain", {{"X-Amzn-Mtls-Clientcert", h::AlbEscape(chain_pem)}}, v1::URL_ENCODED_PEM},
      {"AlbVerifyLeaf", "leaf", {{"X-Amzn-Mtls-Clientcert-Leaf", h::AlbEscape(leaf_pem)}}, v1::URL_ENCODED_PEM},
      {"Rfc9440WithChain",
       "chain",
       {{"Client-Cert", h::SfBinary(leaf_der)}, {"Client-Cert-Chain", h::SfBinary(int_der)}},
       v1::RFC9440},
      {"TraefikChain",
       "chain",
       {{"X-Forwarded-Tls-Client-Cert", absl::StrCat(h::Base64(leaf_der), ",", h::Base64(int_der))}},
       v1::TRAEFIK},
      {"CloudflareDer", "leaf", {{"Cf-Client-Cert-Der-Base64", h::Base64(leaf_der)}}, v1::BASE64_DER},
      {"EnvoyXfcc", "chain", {{"X-Forwarded-Client-Cert", xfcc}}, v1::XFCC},
      {"XfccTwoProxiesLastWins",
       "chain",
       {{"X-Forwarded-Client-Cert", absl::StrCat("By=x;Hash=00;Cert=\"garbage\",", xfcc)}},
       v1::XFCC},
  };
}

class FormatsTest : public ::testing::TestWithParam<FormatCase> {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = MakeTempDir("formats");
    WriteFile(dir + "/root.pem", P().root.pem());
    WriteFile(dir + "/intermediate.pem", P().intermediate.pem());
    WriteFile(dir + "/p.yaml",
              "policies:\n"
              "  - id: chain\n    trust: {anchor_files: [root.pem]}\n"
              "  - id: leaf\n    trust: {anchor_files: [root.pem], intermediate_files: [intermediate.pem]}\n");
    server_ = new ServerProcess(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    server_->Signal(SIGTERM);
    server_->Wait();
    delete server_;
  }
  static ServerProcess* server_;
};

ServerProcess* FormatsTest::server_ = nullptr;

TEST_P(FormatsTest, RoundTripsToTheSameIdentity) {
  const FormatCase& c = GetParam();
  auto stub =
      v1::CertificateValidator::NewStub(grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  v1::ValidateCertificateRequest request;
  request.set_policy_id(c.policy);
  for (const auto& [name, value] : c.headers) {
    v1::ForwardedHeader* hdr = request.add_headers();
    hdr->set_name(name);
    hdr->set_value(value);
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ValidateCertificateResponse r;
  ASSERT_TRUE(stub->ValidateCertificate(&context, request, &r).ok());
  EXPECT_EQ(r.decision(), v1::ALLOW) << r.DebugString();
  EXPECT_EQ(r.format(), c.expected_format);
  const v1::Identity& id = r.identity();
  EXPECT_EQ(id.sha256_thumbprint(), P().leaf.sha256_hex());
  EXPECT_EQ(id.subject(), "CN=workload,O=Contoso");
  EXPECT_EQ(id.issuer_cn(), "Formats Issuing CA");
  EXPECT_THAT(id.sans().dns(), ::testing::ElementsAre("workload.contoso.com"));
  EXPECT_THAT(id.sans().uri(), ::testing::ElementsAre("spiffe://contoso.com/ns/prod/sa/workload"));
  EXPECT_THAT(id.sans().email(), ::testing::ElementsAre("ops@contoso.com"));
  EXPECT_THAT(id.sans().ip(), ::testing::ElementsAre("10.1.2.3"));
  EXPECT_EQ(id.spiffe_id(), "spiffe://contoso.com/ns/prod/sa/workload");
  EXPECT_EQ(id.chain_length(), 3);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, FormatsTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace certguard
