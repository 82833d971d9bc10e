// Integration: the real certguard-server binary on port 0 with a generated registry, called
// over gRPC and through the real CLI. Certificates use validity windows so wide (1970-9999)
// or so old (1971-1980) that the wall clock cannot change an outcome.
#include <signal.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::CliBinary;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::RunCommand;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::certguard::testing::Y;
using ::testing::HasSubstr;

struct Fixture {
  TestCert root = CertFactory::SelfSigned({.cn = "Integration Root",
                                           .subject_extra = {{"O", "Contoso"}},
                                           .not_before = Y(1970),
                                           .not_after = Y(9999),
                                           .is_ca = true});
  TestCert intermediate = CertFactory::Issue({.cn = "Integration Issuing CA",
                                              .subject_extra = {{"O", "Contoso"}},
                                              .not_before = Y(1970),
                                              .not_after = Y(9999),
                                              .is_ca = true},
                                             root);
  TestCert leaf = CertFactory::Issue({.cn = "app.contoso.com",
                                      .subject_extra = {{"O", "Contoso"}},
                                      .not_before = Y(1970),
                                      .not_after = Y(9999),
                                      .eku = {"clientAuth"},
                                      .san_dns = {"app.contoso.com"}},
                                     intermediate);
  TestCert expired = CertFactory::Issue(
      {.cn = "old.contoso.com", .not_before = Y(1971), .not_after = Y(1980), .eku = {"clientAuth"}}, intermediate);
  std::string dir = MakeTempDir("itest-registry");

  Fixture() {
    WriteFile(dir + "/ca/root.pem", root.pem());
    WriteFile(dir + "/ca/intermediate.pem", intermediate.pem());
    WriteFile(dir + "/policies.yaml",
              absl::StrCat("policies:\n"
                           "  - id: seed\n"
                           "    description: the seed app's checks\n"
                           "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                           "    identity:\n"
                           "      thumbprints: [",
                           leaf.sha1_hex(),
                           "]\n"
                           "      subject: {cn: [app.contoso.com]}\n"
                           "      issuer: {cn: [Integration Issuing CA], o: [Contoso]}\n"
                           "  - id: open\n"
                           "    client_certificate_mode: OPTIONAL\n"
                           "    exclusion_paths: /health\n"
                           "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"));
  }
};

const Fixture& F() {
  static const Fixture* f = new Fixture();
  return *f;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerBinary(),
                                {"--listen=127.0.0.1:0", "--policy_dir=" + F().dir, "--max_request_bytes=200000"});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
    channel_ =
        new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  }
  static void TearDownTestSuite() {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
    delete server_;
    delete channel_;
  }

  grpc::Status Call(const v1::ValidateCertificateRequest& request, v1::ValidateCertificateResponse* response) {
    auto stub = v1::CertificateValidator::NewStub(*channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->ValidateCertificate(&context, request, response);
  }

  v1::ValidateCertificateResponse Validate(const std::string& policy, const std::string& value,
                                           const std::string& path = "") {
    v1::ValidateCertificateRequest request;
    request.set_policy_id(policy);
    request.set_header_name("X-ARR-ClientCert");
    request.set_header_value(value);
    request.set_path(path);
    v1::ValidateCertificateResponse response;
    grpc::Status status = Call(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static ServerProcess* server_;
  static std::shared_ptr<grpc::Channel>* channel_;
};

ServerProcess* ServerTest::server_ = nullptr;
std::shared_ptr<grpc::Channel>* ServerTest::channel_ = nullptr;

TEST_F(ServerTest, SeedChecksAllowTheRightCertificate) {
  auto r = Validate("seed", F().leaf.base64_der());
  EXPECT_EQ(r.decision(), v1::ALLOW) << r.DebugString();
  EXPECT_EQ(r.reason(), v1::OK);
  EXPECT_EQ(r.identity().sha1_thumbprint(), F().leaf.sha1_hex());
  EXPECT_EQ(r.identity().sha256_thumbprint(), F().leaf.sha256_hex());
  EXPECT_EQ(r.identity().subject_cn(), "app.contoso.com");
  EXPECT_EQ(r.identity().issuer_cn(), "Integration Issuing CA");
  EXPECT_THAT(r.identity().issuer(), HasSubstr("O=Contoso"));
  EXPECT_EQ(r.identity().not_after().seconds(), absl::ToUnixSeconds(Y(9999)));
  EXPECT_EQ(r.identity().serial_hex(), F().leaf.serial_hex());
  EXPECT_EQ(r.revision().size(), 16u);
}

TEST_F(ServerTest, SeedChecksDenyOthers) {
  // Expired (validity) and not the pinned thumbprint/CN.
  auto r = Validate("seed", F().expired.base64_der());
  EXPECT_EQ(r.decision(), v1::DENY);
  EXPECT_EQ(r.reason(), v1::EXPIRED);
  std::vector<v1::Reason> failed;
  for (const auto& c : r.checks())
    if (!c.passed()) failed.push_back(c.reason());
  EXPECT_THAT(failed, ::testing::IsSupersetOf({v1::EXPIRED, v1::THUMBPRINT_NOT_ALLOWED, v1::SUBJECT_MISMATCH}));
  // A certificate from another CA.
  TestCert stranger = CertFactory::SelfSigned(
      {.cn = "app.contoso.com", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}});
  EXPECT_EQ(Validate("seed", stranger.base64_der()).reason(), v1::SELF_SIGNED_NOT_ALLOWED);
  EXPECT_EQ(Validate("seed", "%%%garbage").reason(), v1::MALFORMED_HEADER);
  EXPECT_EQ(Validate("seed", "").reason(), v1::CERTIFICATE_MISSING);
}

TEST_F(ServerTest, OptionalModeAndExclusionPaths) {
  EXPECT_EQ(Validate("open", "").reason(), v1::CERTIFICATE_ABSENT_ALLOWED);
  EXPECT_EQ(Validate("open", "garbage", "/health/ready").reason(), v1::PATH_EXCLUDED);
  EXPECT_EQ(Validate("open", F().leaf.pem_body()).reason(), v1::OK);
}

TEST_F(ServerTest, RpcErrors) {
  v1::ValidateCertificateRequest request;
  v1::ValidateCertificateResponse response;
  EXPECT_EQ(Call(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_policy_id("no-such-policy");
  grpc::Status status = Call(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("no-such-policy"));
  request.set_policy_id("seed");
  // --max_request_bytes=200000: a little over it is refused by the validator, on the size alone...
  request.set_header_value(std::string(220000, 'A'));
  status = Call(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("over the limit"));
  // ...more than 64 KiB over it by gRPC's transport, on the message's length prefix.
  request.set_header_value(std::string(300000, 'A'));
  status = Call(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

// Bytes that are no ValidateCertificateRequest (a truncated field; invalid UTF-8 in a proto3
// string) are refused with INVALID_ARGUMENT before any policy work, and the server keeps serving.
TEST_F(ServerTest, UnparseableRequestBytesAreInvalidArgument) {
  grpc::GenericStub generic(*channel_);
  const std::vector<std::string> bad = {
      std::string("\x0a\x10seed", 6),                   // policy_id claims 16 bytes, has 4
      std::string("\x0a\x04seed\x12\x02\xff\xfe", 10),  // header_value with invalid UTF-8
  };
  for (const std::string& bytes : bad) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    generic.UnaryCall(&context, "/certguard.v1.CertificateValidator/ValidateCertificate", grpc::StubOptions(), &request,
                      &response, [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mu);
                        status = std::move(s);
                        done = true;
                        cv.notify_one();
                      });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  }
  EXPECT_EQ(Validate("seed", "").reason(), v1::CERTIFICATE_MISSING);
}

TEST_F(ServerTest, HealthIsServing) {
  auto stub = grpc::health::v1::Health::NewStub(*channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerTest, CliPrintsDecisionAndExitCodes) {
  const std::string dir = MakeTempDir("cli");
  WriteFile(dir + "/good.txt", F().leaf.base64_der() + "\n");
  WriteFile(dir + "/leaf.pem", F().leaf.pem());
  std::string out;
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=" + server_->address(), "--policy=seed",
                        "--header_file=" + dir + "/good.txt"},
                       &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("decision: ALLOW"));
  EXPECT_THAT(out, HasSubstr(F().leaf.sha256_hex()));
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=" + server_->address(), "--policy=seed",
                        "--cert_file=" + dir + "/leaf.pem", "--json"},
                       &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"decision\": \"ALLOW\""));
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=" + server_->address(), "--policy=seed",
                        "--header_value=" + F().expired.base64_der()},
                       &out),
            1)
      << out;
  EXPECT_THAT(out, HasSubstr("reason:   EXPIRED"));
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=" + server_->address(), "--policy=nope", "--header_value=x"},
                       &out),
            2)
      << out;
  EXPECT_EQ(
      RunCommand({CliBinary(), "validate", "--target=127.0.0.1:1", "--policy=seed", "--header_value=x", "--timeout=2s"},
                 &out),
      2)
      << out;
}

TEST(ServerLifecycleTest, BrokenRegistryAtStartExitsNonZeroWithTheError) {
  const std::string dir = MakeTempDir("broken");
  WriteFile(dir + "/p.yaml", "id: x\ntrust: {anchor_files: [missing.pem]}\n");
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir});
  EXPECT_FALSE(server.WaitReady(20));
  EXPECT_THAT(server.Stderr(), HasSubstr("missing.pem"));
}

TEST(ServerLifecycleTest, CheckPoliciesExitsZeroOrOne) {
  std::string out;
  EXPECT_EQ(RunCommand({ServerBinary(), "--check_policies", "--policy_dir=" + F().dir}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("2 policies OK"));
  const std::string dir = MakeTempDir("check");
  WriteFile(dir + "/a.yaml", "id: a\nbogus: 1\n");
  WriteFile(dir + "/b.yaml", "id: b\n");
  EXPECT_EQ(RunCommand({ServerBinary(), "--check_policies", "--policy_dir=" + dir}, &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("bogus"));
  EXPECT_THAT(out, HasSubstr("2 error(s)"));
}

TEST(ServerLifecycleTest, OfflineEvaluationAtAGivenTime) {
  const std::string dir = MakeTempDir("offline");
  WriteFile(dir + "/leaf.txt", F().expired.base64_der());
  std::string out;
  EXPECT_EQ(RunCommand({CliBinary(), "evaluate", "--policy_dir=" + F().dir, "--policy=open",
                        "--header_file=" + dir + "/leaf.txt", "--at=1975-06-01T00:00:00Z"},
                       &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("decision: ALLOW"));
  EXPECT_EQ(RunCommand({CliBinary(), "evaluate", "--policy_dir=" + F().dir, "--policy=open",
                        "--header_file=" + dir + "/leaf.txt", "--at=1990-06-01T00:00:00Z", "--json"},
                       &out),
            1)
      << out;
  EXPECT_THAT(out, HasSubstr("\"reason\": \"EXPIRED\""));
}

TEST(ServerLifecycleTest, SighupReloadsAndABrokenReloadKeepsTheOldRegistry) {
  const std::string dir = MakeTempDir("reload");
  namespace fs = std::filesystem;
  fs::copy(F().dir, dir, fs::copy_options::recursive);
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + dir});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  auto stub =
      v1::CertificateValidator::NewStub(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  auto call = [&](const std::string& policy) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ValidateCertificateRequest request;
    request.set_policy_id(policy);
    v1::ValidateCertificateResponse response;
    grpc::Status s = stub->ValidateCertificate(&context, request, &response);
    return std::make_pair(s.error_code(), response.revision());
  };
  const auto before = call("open");
  ASSERT_EQ(before.first, grpc::StatusCode::OK);
  EXPECT_EQ(call("added").first, grpc::StatusCode::NOT_FOUND);

  WriteFile(dir + "/added.yaml",
            "id: added\nclient_certificate_mode: OPTIONAL\ntrust: {anchor_files: [ca/root.pem]}\n");
  server.Signal(SIGHUP);
  grpc::StatusCode code = grpc::StatusCode::NOT_FOUND;
  for (int i = 0; i < 500 && code != grpc::StatusCode::OK; ++i) {
    code = call("added").first;
    if (code != grpc::StatusCode::OK) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(code, grpc::StatusCode::OK);
  const auto after = call("added");
  EXPECT_NE(after.second, before.second);

  WriteFile(dir + "/broken.yaml", "id: [broken\n");
  server.Signal(SIGHUP);
  // The failure is logged; the previous registry keeps serving.
  bool logged = false;
  for (int i = 0; i < 500 && !logged; ++i) {
    logged = server.Stderr().find("reload failed") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(logged) << server.Stderr();
  EXPECT_EQ(call("added"), after);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

}  // namespace
}  // namespace certguard
