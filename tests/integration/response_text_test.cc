// Integration: certificates whose names are not valid UTF-8 (an IA5String SAN may hold any
// byte) or whose validity sits at the edges of what X.509 can say (year 0000, 9999-12-31) still
// get answers that strict parsers read: the real server's ValidateCertificate and ext_authz
// Check responses are parsed by the generated C++ stubs, by the Python client, and printed as
// JSON by the CLI and by the server's offline evaluation.
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "client/common/percent_encode.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "server/common/utf8.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CliBinary;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::RunCommand;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::testing::HasSubstr;

absl::Time At(int year, int month = 1, int day = 1, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second), absl::UTCTimeZone());
}

constexpr char kBadUri[] = "spiffe://td/ns/\xff\xfe/sa/\xc0\xae\xc0\xae";
constexpr char kBadDns[] = "caf\xe9.example.com";  // Latin-1, not UTF-8

struct Pki {
  TestCert root =
      CertFactory::SelfSigned({.cn = "Text Root", .not_before = At(1970), .not_after = At(9999), .is_ca = true});
  // Valid, with SANs that are not UTF-8.
  TestCert bad_names = CertFactory::Issue({.cn = "bad-names",
                                           .not_before = At(1970),
                                           .not_after = At(9999),
                                           .eku = {"clientAuth"},
                                           .san_dns = {kBadDns},
                                           .san_uri = {kBadUri},
                                           .san_email = {"\xff@example.com"}},
                                          root);
  // The widest validity X.509 can state: 0000-01-01 .. 9999-12-31T23:59:59.
  TestCert edges = CertFactory::Issue(
      {.cn = "edges", .not_before = At(0), .not_after = At(9999, 12, 31, 23, 59, 59), .eku = {"clientAuth"}}, root);
  std::string dir = MakeTempDir("text-registry");

  Pki() {
    WriteFile(dir + "/root.pem", root.pem());
    // "open" allows both; "uri" denies with a detail that quotes the SAN; skew 1 day pushes
    // valid_until past 9999.
    WriteFile(dir + "/policies.yaml",
              "policies:\n"
              "  - id: open\n"
              "    trust: {anchor_files: [root.pem]}\n"
              "    strict: {enabled: false}\n"
              "    validity: {clock_skew_seconds: 86400}\n"
              "  - id: uri\n"
              "    trust: {anchor_files: [root.pem]}\n"
              "    strict: {enabled: false}\n"
              "    identity: {san: [{type: URI, exact: \"spiffe://td/ns/a/sa/b\"}]}\n");
  }
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

class ResponseTextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
    delete server_;
  }
  static std::shared_ptr<grpc::Channel> Channel() {
    return grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }
  static ServerProcess* server_;
};

ServerProcess* ResponseTextTest::server_ = nullptr;

void ExpectAllValidUtf8(const v1::ValidateCertificateResponse& r) {
  EXPECT_TRUE(common::IsValidUtf8(r.message()));
  for (const v1::Check& c : r.checks()) EXPECT_TRUE(common::IsValidUtf8(c.detail())) << c.name();
  for (const std::string& s : r.identity().sans().uri()) EXPECT_TRUE(common::IsValidUtf8(s));
  for (const std::string& s : r.identity().sans().dns()) EXPECT_TRUE(common::IsValidUtf8(s));
}

TEST_F(ResponseTextTest, ValidateCertificateAnswersParseWithTheGeneratedParser) {
  auto stub = v1::CertificateValidator::NewStub(Channel());
  for (const auto& [policy, want] : {std::pair<std::string, v1::Decision>{"open", v1::ALLOW},
                                     std::pair<std::string, v1::Decision>{"uri", v1::DENY}}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ValidateCertificateRequest request;
    request.set_policy_id(policy);
    request.set_header_value(P().bad_names.base64_der());
    v1::ValidateCertificateResponse response;  // the stub parses it with the generated parser
    const grpc::Status status = stub->ValidateCertificate(&context, request, &response);
    ASSERT_TRUE(status.ok()) << policy << ": " << status.error_code() << " " << status.error_message();
    EXPECT_EQ(response.decision(), want) << response.DebugString();
    ExpectAllValidUtf8(response);
    ASSERT_EQ(response.identity().sans().uri_size(), 1);
    EXPECT_EQ(response.identity().sans().uri(0), common::ToValidUtf8(kBadUri));
    EXPECT_THAT(response.identity().sans().uri(0), HasSubstr("\xEF\xBF\xBD"));
  }
}

TEST_F(ResponseTextTest, ExtAuthzAnswersParseForEnvoy) {
  auto stub = envoy::service::auth::v3::Authorization::NewStub(Channel());
  for (const auto& [policy, want_code] :
       {std::pair<std::string, int>{"open", 0}, std::pair<std::string, int>{"uri", 7}}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    envoy::service::auth::v3::CheckRequest request;
    auto* attributes = request.mutable_attributes();
    (*attributes->mutable_context_extensions())["certguard_policy"] = policy;
    auto* http = attributes->mutable_request()->mutable_http();
    http->set_scheme("https");
    http->set_path("/");
    // Envoy's include_peer_certificate: the leaf as URL-encoded PEM.
    attributes->mutable_source()->set_certificate(client::PercentEncodeAll(P().bad_names.pem()));
    envoy::service::auth::v3::CheckResponse response;
    const grpc::Status status = stub->Check(&context, request, &response);
    ASSERT_TRUE(status.ok()) << policy << ": " << status.error_code() << " " << status.error_message();
    EXPECT_EQ(response.status().code(), want_code) << response.DebugString();
    EXPECT_TRUE(common::IsValidUtf8(response.status().message()));
    if (want_code != 0) {
      EXPECT_TRUE(common::IsValidUtf8(response.denied_response().body()));
      EXPECT_FALSE(nlohmann::json::parse(response.denied_response().body(), nullptr, false).is_discarded());
    }
    for (const auto& h : response.ok_response().headers()) EXPECT_TRUE(common::IsValidUtf8(h.header().value()));
  }
}

TEST_F(ResponseTextTest, PythonClientAndCliReadEveryAnswer) {
  ASSERT_EQ(access("/usr/bin/python3", X_OK), 0) << "scripts/install-deps.sh installs python3";
  for (const TestCert* cert : {&P().bad_names, &P().edges}) {
    for (const std::string policy : {"open", "uri"}) {
      SCOPED_TRACE(policy);
      std::string out;
      const int rc =
          RunCommand({"/usr/bin/python3", std::string(CERTGUARD_SOURCE_DIR) + "/client/python/validate.py", "--target",
                      server_->address(), "--policy", policy, "--header_value", cert->base64_der()},
                     &out, 120);
      EXPECT_TRUE(rc == 0 || rc == 1) << rc << ": " << out;  // 2 would be an unreadable answer
      EXPECT_FALSE(nlohmann::json::parse(out.substr(0, out.find('\n')), nullptr, false).is_discarded()) << out;

      std::string cli;
      const int cli_rc = RunCommand({CliBinary(), "validate", "--target", server_->address(), "--json", "--policy",
                                     policy, "--header_value", cert->base64_der()},
                                    &cli);
      EXPECT_EQ(cli_rc, rc) << cli;
      const nlohmann::json json = nlohmann::json::parse(cli, nullptr, false);
      ASSERT_FALSE(json.is_discarded()) << cli;
      EXPECT_TRUE(json.contains("decision")) << cli;
    }
  }
}

TEST_F(ResponseTextTest, OfflineJsonOutputForEdgeTimes) {
  std::string out;
  const int rc = RunCommand({CliBinary(), "evaluate", "--policy_dir=" + P().dir, "--policy=open", "--json",
                             "--at=2026-06-01T00:00:00Z", "--header_value=" + P().edges.base64_der()},
                            &out);
  EXPECT_EQ(rc, 0) << out;
  const nlohmann::json json = nlohmann::json::parse(out, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << out;
  EXPECT_EQ(json["decision"], "ALLOW") << out;
  // Clamped to what google.protobuf.Timestamp can hold.
  EXPECT_EQ(json["identity"]["not_before"], "0001-01-01T00:00:00Z") << out;
  EXPECT_EQ(json["identity"]["not_after"], "9999-12-31T23:59:59Z") << out;
  EXPECT_EQ(json["valid_until"], "9999-12-31T23:59:59Z") << out;
}

}  // namespace
}  // namespace certguard
