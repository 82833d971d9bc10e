// In-process runtime::Server: health follows SetServing/Shutdown, Unix sockets get the
// configured mode and are removed at the end, the max call duration applies.
#include "server/runtime/server.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "server/core/registry_reloader.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::runtime {
namespace {

using grpc::health::v1::HealthCheckResponse;

class RuntimeServerTest : public ::testing::Test {
 protected:
  RuntimeServerTest()
      : engine_(&store_, core::SystemClock(), {}),
        reloader_(registry_.dir(), &store_, &engine_.cache(), core::SystemClock()) {
    registry_.Policy("open.yaml",
                     "id: open\nclient_certificate_mode: OPTIONAL\n"
                     "trust: {anchor_files: [root.pem]}\n");
    registry_.File("root.pem", testing::CertFactory::SelfSigned({.cn = "Root", .is_ca = true}).pem());
  }

  HealthCheckResponse::ServingStatus Health(const std::string& address, const std::string& service = "") {
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  grpc::StatusCode Validate(const std::string& address) {
    auto stub = v1::CertificateValidator::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ValidateCertificateRequest request;
    request.set_policy_id("open");
    v1::ValidateCertificateResponse response;
    return stub->ValidateCertificate(&context, request, &response).error_code();
  }

  testing::RegistryBuilder registry_;
  policy::RegistryStore store_;
  core::DecisionEngine engine_;
  core::RegistryReloader reloader_;
};

TEST_F(RuntimeServerTest, NotServingUntilTheRegistryIsLoaded) {
  ServerOptions options;
  options.listen = {"127.0.0.1:0"};
  auto server = Server::Start(options, &engine_);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->bound_addresses().at(0);
  EXPECT_EQ(Health(address), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(address, "certguard.v1.CertificateValidator"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Validate(address), grpc::StatusCode::UNAVAILABLE);  // no registry yet
  ASSERT_TRUE(reloader_.Reload("test").ok);
  (*server)->SetServing(true);
  EXPECT_EQ(Health(address), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(address, "envoy.service.auth.v3.Authorization"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Validate(address), grpc::StatusCode::OK);
  (*server)->Shutdown(absl::Now() + absl::Seconds(5));
  (*server)->Wait();
}

TEST_F(RuntimeServerTest, UnixSocketModeStaleFileAndCleanup) {
  const std::string dir = testing::MakeTempDir("runtime-uds");
  const std::string path = dir + "/certguard.sock";
  {
    // A stale socket from an earlier run is replaced.
    ServerOptions options;
    options.listen = {"unix:" + path};
    auto first = Server::Start(options, &engine_);
    ASSERT_TRUE(first.ok()) << first.status();
  }
  ServerOptions options;
  options.listen = {"unix:" + path, "127.0.0.1:0"};
  options.unix_socket_mode = 0600;
  auto server = Server::Start(options, &engine_);
  ASSERT_TRUE(server.ok()) << server.status();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ((*server)->bound_addresses().at(0), "unix:" + path);
  ASSERT_TRUE(reloader_.Reload("test").ok);
  EXPECT_EQ(Validate("unix:" + path), grpc::StatusCode::OK);
  server->reset();
  EXPECT_FALSE(std::filesystem::exists(path));
  // A regular file in the way is an error, never deleted.
  testing::WriteFile(path, "x");
  options.listen = {"unix:" + path};
  EXPECT_FALSE(Server::Start(options, &engine_).ok());
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(RuntimeServerTest, MaxCallDurationAnswersDeadlineExceeded) {
  ServerOptions options;
  options.listen = {"127.0.0.1:0"};
  options.max_call_duration = absl::Nanoseconds(1);
  auto server = Server::Start(options, &engine_);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE(reloader_.Reload("test").ok);
  EXPECT_EQ(Validate((*server)->bound_addresses().at(0)), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(RuntimeServerTest, BadListenersAndTlsAreInvalidArgument) {
  ServerOptions options;
  options.listen = {"nonsense"};
  EXPECT_TRUE(absl::IsInvalidArgument(Server::Start(options, &engine_).status()));
  options.listen = {"127.0.0.1:0"};
  options.tls.cert_file = "/nonexistent.pem";
  EXPECT_TRUE(absl::IsInvalidArgument(Server::Start(options, &engine_).status()));
}

}  // namespace
}  // namespace certguard::runtime
