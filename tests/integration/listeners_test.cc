// Integration: the real certguard-server on TLS, mutual TLS and Unix-socket listeners, started
// from flags and from a config file, and its shutdown with open client channels. Certificates
// are valid 1970-9999 so the wall clock never matters.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include <gmock/gmock.h>
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
using ::certguard::testing::CliBinary;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::RunCommand;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::certguard::testing::Y;
using ::testing::HasSubstr;

struct Pki {
  TestCert ca =
      CertFactory::SelfSigned({.cn = "Listener Test CA", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
  TestCert server = CertFactory::Issue({.cn = "localhost",
                                        .not_before = Y(1970),
                                        .not_after = Y(9999),
                                        .eku = {"serverAuth"},
                                        .san_dns = {"localhost"},
                                        .san_ip = {"127.0.0.1"}},
                                       ca);
  TestCert client =
      CertFactory::Issue({.cn = "caller", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}}, ca);
  TestCert other_ca =
      CertFactory::SelfSigned({.cn = "Other CA", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
  TestCert stranger = CertFactory::Issue(
      {.cn = "stranger", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}}, other_ca);
  std::string dir = MakeTempDir("listeners");

  Pki() {
    WriteFile(dir + "/ca.pem", ca.pem());
    WriteFile(dir + "/server.pem", server.pem());
    WriteFile(dir + "/server.key", server.key_pem());
    WriteFile(dir + "/client.pem", client.pem());
    WriteFile(dir + "/client.key", client.key_pem());
    WriteFile(dir + "/policies/ca.pem", ca.pem());
    WriteFile(dir + "/policies/open.yaml",
              "id: open\nclient_certificate_mode: OPTIONAL\ntrust: {anchor_files: [ca.pem]}\n");
    // Usable only by the caller whose certificate is P().client (CN=caller), or by nobody here.
    WriteFile(dir + "/policies/mine.yaml",
              "id: mine\ncallers: ['dn:CN=caller']\nclient_certificate_mode: OPTIONAL\n"
              "trust: {anchor_files: [ca.pem]}\n");
    WriteFile(dir + "/policies/theirs.yaml",
              "id: theirs\ncallers: ['spiffe://example.org/ns/payments/**']\nclient_certificate_mode: OPTIONAL\n"
              "trust: {anchor_files: [ca.pem]}\n");
  }
  std::string policy_dir() const { return dir + "/policies"; }
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

grpc::Status Validate(const std::shared_ptr<grpc::Channel>& channel, v1::ValidateCertificateResponse* response,
                      int timeout_seconds = 10, const std::string& policy = "open") {
  auto stub = v1::CertificateValidator::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds));
  v1::ValidateCertificateRequest request;
  request.set_policy_id(policy);
  return stub->ValidateCertificate(&context, request, response);
}

std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address, bool with_client_cert,
                                          const TestCert* client = nullptr) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = P().ca.pem();
  if (with_client_cert) {
    options.pem_cert_chain = (client ? *client : P().client).pem();
    options.pem_private_key = (client ? *client : P().client).key_pem();
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(options));
}

TEST(ListenersTest, Tls) {
  ServerProcess server(ServerBinary(),
                       {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir(),
                        "--tls_cert_file=" + P().dir + "/server.pem", "--tls_key_file=" + P().dir + "/server.key"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  v1::ValidateCertificateResponse response;
  grpc::Status status = Validate(TlsChannel(server.address(), false), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.decision(), v1::ALLOW);
  // A plaintext client cannot talk to a TLS listener.
  EXPECT_FALSE(Validate(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()), &response, 3).ok());
  EXPECT_THAT(server.Stderr(), HasSubstr("\"security\":\"tls\""));
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

TEST(ListenersTest, MutualTlsRefusesCallersWithoutAnAcceptedCertificate) {
  ServerProcess server(
      ServerBinary(),
      {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir(), "--tls_cert_file=" + P().dir + "/server.pem",
       "--tls_key_file=" + P().dir + "/server.key", "--tls_client_ca_file=" + P().dir + "/ca.pem"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  v1::ValidateCertificateResponse response;
  grpc::Status status = Validate(TlsChannel(server.address(), true), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.decision(), v1::ALLOW);
  EXPECT_EQ(Validate(TlsChannel(server.address(), false), &response, 3).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Validate(TlsChannel(server.address(), true, &P().stranger), &response, 3).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // The CLI's TLS flags.
  std::string out;
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=" + server.address(), "--policy=open",
                        "--header_value=", "--tls_ca_file=" + P().dir + "/ca.pem",
                        "--tls_cert_file=" + P().dir + "/client.pem", "--tls_key_file=" + P().dir + "/client.key"},
                       &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("decision: ALLOW"));
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=" + server.address(), "--policy=open",
                        "--header_value=", "--tls_ca_file=" + P().dir + "/ca.pem", "--timeout=3s"},
                       &out),
            2)
      << out;
  // A policy's `callers`: the handshake's certificate is the caller's identity.
  EXPECT_TRUE(Validate(TlsChannel(server.address(), true), &response, 10, "mine").ok());
  const grpc::Status theirs = Validate(TlsChannel(server.address(), true), &response, 10, "theirs");
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(theirs.error_message(), HasSubstr("this caller (dn:CN=caller) is not one of them"));
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  // The decision log names who the handshake proved is calling, beside what the request says.
  EXPECT_THAT(server.Stdout(), HasSubstr("\"peer_identity\":\"dn:CN=caller\""));
}

TEST(ListenersTest, UnixSocketNextToTcp) {
  const std::string dir = MakeTempDir("uds-listen");
  const std::string path = dir + "/certguard.sock";
  ServerProcess server(ServerBinary(), {"--listen=unix:" + path + ",127.0.0.1:0", "--policy_dir=" + P().policy_dir()});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  ASSERT_EQ(server.addresses().size(), 2u);
  EXPECT_EQ(server.addresses()[0], "unix:" + path);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  v1::ValidateCertificateResponse response;
  grpc::Status status = Validate(grpc::CreateChannel("unix:" + path, grpc::InsecureChannelCredentials()), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.decision(), v1::ALLOW);
  std::string out;
  EXPECT_EQ(RunCommand({CliBinary(), "validate", "--target=unix:" + path, "--policy=open", "--header_value="}, &out), 0)
      << out;
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ListenersTest, ConfigFileWithCommandLineOverrides) {
  const std::string dir = MakeTempDir("config");
  const std::string path = dir + "/s.sock";
  WriteFile(dir + "/certguard.yaml", absl::StrCat("policy_dir: ", P().policy_dir(),
                                                  "\n"
                                                  "listen: [\"unix:",
                                                  path,
                                                  "\"]\n"
                                                  "unix_socket_mode: \"0600\"\n"
                                                  "max_request_bytes: 10\n"  // overridden below
                                                  "decision_log: \"off\"\n"));
  ServerProcess server(ServerBinary(), {"--config=" + dir + "/certguard.yaml", "--max_request_bytes=100000"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  EXPECT_EQ(server.address(), "unix:" + path);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  v1::ValidateCertificateResponse response;
  grpc::Status status = Validate(grpc::CreateChannel("unix:" + path, grpc::InsecureChannelCredentials()), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();  // 10 bytes would refuse it
  // A Unix socket proves no certificate: a policy with `callers` refuses it.
  EXPECT_EQ(Validate(grpc::CreateChannel("unix:" + path, grpc::InsecureChannelCredentials()), &response, 10, "mine")
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_THAT(server.Stdout(), ::testing::Not(HasSubstr("\"decision\"")));  // decision_log: off

  WriteFile(dir + "/bad.yaml", "policy_dir: /x\nlisten_adress: 127.0.0.1:0\n");
  std::string out;
  ServerProcess bad(ServerBinary(), {"--config=" + dir + "/bad.yaml"});
  EXPECT_EQ(bad.Wait(), 2);
  EXPECT_THAT(bad.Stderr(), HasSubstr("unknown key 'listen_adress'"));
}

TEST(ListenersTest, BadTlsSetupExitsWithUsageError) {
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir(),
                                        "--tls_cert_file=" + P().dir + "/server.pem"});
  EXPECT_EQ(server.Wait(), 2);
  EXPECT_THAT(server.Stderr(), HasSubstr("tls_key_file"));
}

// The drain ends when the last call and connection are gone, not at --shutdown_grace: the
// health watch is ended by the server, and gRPC closes the idle connection once the client has
// acknowledged its GOAWAY. An idle gRPC C-core client (this one) reads the GOAWAY only when its
// backup poller runs (every 5 s by default), so the bound is well under the 60 s grace, not 0.
TEST(ListenersTest, ShutdownWithAnOpenIdleChannelIsPrompt) {
  ServerProcess server(ServerBinary(),
                       {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir(), "--shutdown_grace=60s"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  v1::ValidateCertificateResponse response;
  ASSERT_TRUE(Validate(channel, &response).ok());
  // Health watchers see NOT_SERVING when the drain starts.
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::health::v1::HealthCheckRequest request;
  auto watch = health->Watch(&watch_context, request);
  grpc::health::v1::HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  const auto start = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  // Then the server ends the watch itself (a lost connection would not say "shutting down").
  EXPECT_FALSE(watch->Read(&update));
  const grpc::Status end = watch->Finish();
  EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(end.error_message(), "server shutting down");
  EXPECT_EQ(server.Wait(), 0);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(30)) << server.Stderr();
}

}  // namespace
}  // namespace certguard
