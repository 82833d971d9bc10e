// Integration: the real certguard-server's Prometheus endpoint and decision log after a few
// calls through both front ends.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/raw_http.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::HttpGet;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::certguard::testing::Y;
using ::testing::HasSubstr;

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("metrics");
    root_ = CertFactory::SelfSigned({.cn = "Metrics Root", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
    leaf_ = CertFactory::Issue({.cn = "app.example",
                                .subject_extra = {{"O", "Quote\"Corp"}},
                                .not_before = Y(1970),
                                .not_after = Y(9999),
                                .eku = {"clientAuth"}},
                               root_);
    WriteFile(dir_ + "/policies/root.pem", root_.pem());
    WriteFile(dir_ + "/policies/p.yaml",
              "policies:\n"
              "  - id: strict\n    trust: {anchor_files: [root.pem]}\n"
              "  - id: open\n    client_certificate_mode: OPTIONAL\n    trust: {anchor_files: [root.pem]}\n");
    log_path_ = dir_ + "/decisions.log";
    server_ = std::make_unique<ServerProcess>(
        ServerBinary(), std::vector<std::string>{"--listen=127.0.0.1:0", "--policy_dir=" + dir_ + "/policies",
                                                 "--metrics_listen=127.0.0.1:0", "--decision_log=" + log_path_,
                                                 "--decision_log_flush_interval=0s"});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }
  void TearDown() override {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
  }

  grpc::Status Validate(const std::string& policy, const std::string& value, const std::string& caller = "") {
    auto stub = v1::CertificateValidator::NewStub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ValidateCertificateRequest request;
    request.set_policy_id(policy);
    request.set_header_name("X-ARR-ClientCert");
    request.set_header_value(value);
    request.set_caller(caller);
    v1::ValidateCertificateResponse response;
    return stub->ValidateCertificate(&context, request, &response);
  }

  std::string dir_, log_path_;
  TestCert root_, leaf_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(MetricsTest, ScrapeAfterCallsThroughBothFrontEnds) {
  const std::string metrics = server_->metrics_address();
  ASSERT_FALSE(metrics.empty()) << server_->Stdout();
  ASSERT_TRUE(Validate("strict", leaf_.base64_der(), "orders-api").ok());
  ASSERT_TRUE(Validate("strict", leaf_.base64_der(), "orders-api").ok());  // cached
  ASSERT_TRUE(Validate("strict", "").ok());                                // DENY CERTIFICATE_MISSING
  EXPECT_EQ(Validate("nope\"\n", "x").error_code(), grpc::StatusCode::NOT_FOUND);
  {
    auto stub = envoy::service::auth::v3::Authorization::NewStub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    envoy::service::auth::v3::CheckRequest request;
    (*request.mutable_attributes()->mutable_context_extensions())["certguard_policy"] = "open";
    request.mutable_attributes()->mutable_request()->mutable_http()->set_scheme("https");  // as Envoy sends it
    envoy::service::auth::v3::CheckResponse response;
    ASSERT_TRUE(stub->Check(&context, request, &response).ok());
  }

  const std::string text = HttpGet(metrics, "/metrics");
  EXPECT_THAT(text, HasSubstr("HTTP/1.1 200"));
  EXPECT_THAT(text, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "certguard_requests_total{policy=\"strict\",decision=\"ALLOW\",reason=\"OK\",frontend=\"validator\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("certguard_requests_total{policy=\"strict\",decision=\"DENY\",reason=\"CERTIFICATE_"
                              "MISSING\",frontend=\"validator\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "certguard_requests_total{policy=\"\",decision=\"ERROR\",reason=\"NOT_FOUND\",frontend=\"validator\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("decision=\"ALLOW\",reason=\"CERTIFICATE_ABSENT_ALLOWED\",frontend=\"ext_authz\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_request_duration_seconds_count{frontend=\"validator\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("certguard_request_duration_seconds_count{frontend=\"ext_authz\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_cache_hits_total 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_cache_entries 1\n"));
  // The one certificate was parsed once: the second ALLOW came from the verdict cache.
  EXPECT_THAT(text, HasSubstr("certguard_certificate_cache_misses_total 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_certificate_cache_entries 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_policies 2\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_reloads_total{result=\"success\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_reloads_total{result=\"failure\"} 0\n"));
  EXPECT_THAT(text, ::testing::ContainsRegex("certguard_registry_revision_info\\{revision=\"[0-9a-f]+\"\\} 1"));
  EXPECT_THAT(HttpGet(metrics, "/other"), HasSubstr("HTTP/1.1 404"));

  // Decision log: one JSON line per decision, the caller from the request or the peer.
  std::ifstream in(log_path_);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["policy"], "strict");
  EXPECT_EQ(lines[0]["decision"], "ALLOW");
  EXPECT_EQ(lines[0]["caller"], "orders-api");
  EXPECT_EQ(lines[0]["sha256"], leaf_.sha256_hex());
  EXPECT_THAT(lines[0]["subject"].get<std::string>(), HasSubstr("CN=app.example"));
  EXPECT_EQ(lines[0]["from_cache"], false);
  EXPECT_EQ(lines[1]["from_cache"], true);
  EXPECT_EQ(lines[2]["reason"], "CERTIFICATE_MISSING");
  EXPECT_THAT(lines[2]["caller"].get<std::string>(), HasSubstr("127.0.0.1"));  // the gRPC peer
  EXPECT_EQ(lines[3]["decision"], "ERROR");
  EXPECT_EQ(lines[3]["policy"], "nope\"\n");
  EXPECT_EQ(lines[4]["frontend"], "ext_authz");
  for (const auto& line : lines) {
    EXPECT_TRUE(line.contains("latency_us"));
    EXPECT_TRUE(line.contains("revision"));
  }
  std::ifstream raw(log_path_);
  std::stringstream all;
  all << raw.rdbuf();
  EXPECT_THAT(all.str(), ::testing::Not(HasSubstr(leaf_.base64_der().substr(0, 40))));  // no certificates
}

TEST(MetricsOffTest, EmptyMetricsListenTurnsTheEndpointOff) {
  const std::string dir = MakeTempDir("metrics-off");
  WriteFile(dir + "/p.yaml", "id: open\nclient_certificate_mode: OPTIONAL\ntrust: {anchor_files: [r.pem]}\n");
  WriteFile(dir + "/r.pem", CertFactory::SelfSigned({.cn = "R", .is_ca = true}).pem());
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir, "--metrics_listen="});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  EXPECT_EQ(server.metrics_address(), "");
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

}  // namespace
}  // namespace certguard
