// The admin API's own listener against the real server: never on the data port; loopback by
// default; mTLS with an identity allowlist (SPIFFE glob, SHA-256, DN) admits the listed
// certificates only; a Unix socket gets its mode; unsafe configurations are refused at start.
#include <signal.h>
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "certguard/v1/validator.grpc.pb.h"
#include "server/x509/certificate.h"
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
using ::testing::HasSubstr;

TestCert Client(const std::string& cn, const TestCert& ca, std::vector<std::string> uris = {}) {
  return CertFactory::Issue(
      {.cn = cn, .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}, .san_uri = std::move(uris)}, ca);
}

// The subject DN as the server reads it (RFC 2253).
std::string SubjectDn(const TestCert& cert) {
  return x509::Certificate::FromDer(cert.der()).value()->info().subject_dn;
}

struct Pki {
  TestCert ca = CertFactory::SelfSigned({.cn = "Admin CA", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
  TestCert server = CertFactory::Issue({.cn = "localhost",
                                        .not_before = Y(1970),
                                        .not_after = Y(9999),
                                        .eku = {"serverAuth"},
                                        .san_dns = {"localhost"},
                                        .san_ip = {"127.0.0.1"}},
                                       ca);
  TestCert by_spiffe = Client("ops-bot", ca, {"spiffe://example.org/ns/ops/sa/deployer"});
  TestCert by_sha256 = Client("break-glass", ca);
  TestCert by_dn = Client("operator", ca);
  TestCert intruder = Client("payments-sidecar", ca, {"spiffe://example.org/ns/payments/sa/app"});
  TestCert nested = Client("too-deep", ca, {"spiffe://example.org/ns/ops/sa/deployer/extra"});
  std::string dir = MakeTempDir("admin-listener");

  Pki() {
    WriteFile(dir + "/ca.pem", ca.pem());
    WriteFile(dir + "/server.pem", server.pem());
    WriteFile(dir + "/server.key", server.key_pem());
    WriteFile(dir + "/policies/ca.pem", ca.pem());
    WriteFile(dir + "/policies/open.yaml", "id: open\ntrust: {anchor_files: [ca.pem]}\n");
  }
  std::string policy_dir() const { return dir + "/policies"; }
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

std::shared_ptr<grpc::Channel> MtlsChannel(const std::string& address, const TestCert* client) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = P().ca.pem();
  if (client != nullptr) {
    options.pem_cert_chain = client->pem();
    options.pem_private_key = client->key_pem();
  }
  return grpc::CreateChannel(address, grpc::SslCredentials(options));
}

grpc::Status GetStatus(const std::shared_ptr<grpc::Channel>& channel, v1::RegistryStatus* status = nullptr) {
  auto stub = v1::RegistryAdmin::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::RegistryStatus ignored;
  return stub->GetRegistryStatus(&context, {}, status != nullptr ? status : &ignored);
}

TEST(AdminListenerTest, NeverOnTheDataPortAndLoopbackByDefault) {
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir()});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  // The data port does not know the admin service.
  const grpc::Status on_data = GetStatus(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(on_data.error_code(), grpc::StatusCode::UNIMPLEMENTED) << on_data.error_message();
  // The admin listener (127.0.0.1:0 from the test launcher) answers.
  ASSERT_THAT(server.admin_address(), ::testing::StartsWith("127.0.0.1:"));
  v1::RegistryStatus status;
  ASSERT_TRUE(GetStatus(grpc::CreateChannel(server.admin_address(), grpc::InsecureChannelCredentials()), &status).ok());
  EXPECT_EQ(status.policy_count(), 1);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

TEST(AdminListenerTest, MutualTlsAdmitsListedIdentitiesOnly) {
  const std::string allow =
      "spiffe://example.org/ns/ops/sa/*,sha256:" + P().by_sha256.sha256_hex() + ",dn:" + SubjectDn(P().by_dn);
  ServerProcess server(
      ServerBinary(),
      {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir(), "--admin_listen=127.0.0.1:0",
       "--admin_tls_cert_file=" + P().dir + "/server.pem", "--admin_tls_key_file=" + P().dir + "/server.key",
       "--admin_tls_client_ca_file=" + P().dir + "/ca.pem", "--admin_allow=" + allow});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const std::string admin = server.admin_address();
  for (const TestCert* allowed : {&P().by_spiffe, &P().by_sha256, &P().by_dn}) {
    const grpc::Status status = GetStatus(MtlsChannel(admin, allowed));
    EXPECT_TRUE(status.ok()) << SubjectDn(*allowed) << ": " << status.error_message();
  }
  for (const TestCert* refused : {&P().intruder, &P().nested}) {
    const grpc::Status status = GetStatus(MtlsChannel(admin, refused));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << SubjectDn(*refused);
    EXPECT_THAT(status.error_message(), HasSubstr("not listed in --admin_allow"));
  }
  // No certificate: the mTLS handshake itself fails.
  EXPECT_EQ(GetStatus(MtlsChannel(admin, nullptr)).error_code(), grpc::StatusCode::UNAVAILABLE);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_THAT(server.Stderr(), HasSubstr("admin call refused: identity not allowed"));
  EXPECT_THAT(server.Stderr(), HasSubstr("spiffe://example.org/ns/payments/sa/app"));
}

TEST(AdminListenerTest, UnixSocketGetsItsMode) {
  const std::string path = MakeTempDir("admin-uds") + "/admin.sock";
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir(),
                                        "--admin_listen=unix:" + path, "--admin_socket_mode=0600"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  EXPECT_EQ(server.admin_address(), "unix:" + path);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(GetStatus(grpc::CreateChannel("unix:" + path, grpc::InsecureChannelCredentials())).ok());
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

TEST(AdminListenerTest, UnsafeOrBrokenSettingsAreUsageErrors) {
  const std::string tls = "--admin_tls_cert_file=" + P().dir + "/server.pem";
  const std::string key = "--admin_tls_key_file=" + P().dir + "/server.key";
  const std::string ca = "--admin_tls_client_ca_file=" + P().dir + "/ca.pem";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--admin_listen=0.0.0.0:0"}, "--admin_listen: '0.0.0.0:0' is reachable from other machines"},
      {{"--admin_listen=0.0.0.0:0", tls, key, ca}, "--admin_listen"},  // mTLS but nobody listed
      {{"--admin_listen=127.0.0.1:0", "--admin_allow=sha256:00"}, "--admin_allow"},
      {{"--admin_listen=127.0.0.1:0", tls, key, ca, "--admin_allow=sha256:00"}, "64 hex digits"},
      {{"--admin_listen=127.0.0.1:0", tls, key, ca, "--admin_allow=ops"}, "expected spiffe://"},
      {{"--admin_listen=127.0.0.1:0", tls}, "admin_tls_cert_file and admin_tls_key_file must be given together"},
      {{"--admin_listen=nonsense"}, "--admin_listen"},
  };
  for (const auto& [flags, expected] : cases) {
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--policy_dir=" + P().policy_dir()};
    args.insert(args.end(), flags.begin(), flags.end());
    ServerProcess server(ServerBinary(), args);
    EXPECT_EQ(server.Wait(), 2) << flags.front();
    EXPECT_THAT(server.Stderr(), HasSubstr(expected)) << flags.front();
  }
}

}  // namespace
}  // namespace certguard
