// rpc::HealthService on an in-process gRPC server (port 0): Check and Watch answers, status
// changes pushed to watchers, and Shutdown() ending every watch after NOT_SERVING.
#include "server/grpc/health_service.h"

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

namespace certguard::rpc {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

std::chrono::system_clock::time_point Deadline() { return std::chrono::system_clock::now() + std::chrono::seconds(20); }

class HealthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(nullptr));
    builder.RegisterService(&health_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(20));
    server_->Wait();
  }

  grpc::Status Check(const std::string& service, HealthCheckResponse::ServingStatus* status) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::Status rpc = stub_->Check(&context, request, &response);
    *status = response.status();
    return rpc;
  }

  struct Watcher {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> reader;
    // The next status, or UNKNOWN once the stream has ended.
    HealthCheckResponse::ServingStatus Next() {
      HealthCheckResponse response;
      return reader->Read(&response) ? response.status() : HealthCheckResponse::UNKNOWN;
    }
  };
  std::unique_ptr<Watcher> Watch(const std::string& service) {
    auto watcher = std::make_unique<Watcher>();
    watcher->context.set_deadline(Deadline());
    HealthCheckRequest request;
    request.set_service(service);
    watcher->reader = stub_->Watch(&watcher->context, request);
    return watcher;
  }

  HealthService health_;  // outlives server_
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(HealthServiceTest, CheckAnswersKnownNamesAndNotFoundForOthers) {
  HealthCheckResponse::ServingStatus status;
  ASSERT_TRUE(Check("", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check("certguard.v1.CertificateValidator", &status).error_code(), grpc::StatusCode::NOT_FOUND);
  health_.SetServingStatus("certguard.v1.CertificateValidator", true);
  ASSERT_TRUE(Check("certguard.v1.CertificateValidator", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);
  health_.SetServingStatus(true);
  ASSERT_TRUE(Check("", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::SERVING);
  health_.SetServingStatus(false);
  ASSERT_TRUE(Check("certguard.v1.CertificateValidator", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
}

TEST_F(HealthServiceTest, WatchSeesEveryChangeAndUnknownNames) {
  health_.SetServingStatus("a", true);
  auto a = Watch("a");
  auto b = Watch("b");
  EXPECT_EQ(a->Next(), HealthCheckResponse::SERVING);
  EXPECT_EQ(b->Next(), HealthCheckResponse::SERVICE_UNKNOWN);
  health_.SetServingStatus("a", false);
  EXPECT_EQ(a->Next(), HealthCheckResponse::NOT_SERVING);
  health_.SetServingStatus("b", true);
  EXPECT_EQ(b->Next(), HealthCheckResponse::SERVING);
  health_.SetServingStatus(true);
  EXPECT_EQ(a->Next(), HealthCheckResponse::SERVING);
  a->context.TryCancel();
  EXPECT_EQ(a->Next(), HealthCheckResponse::UNKNOWN);
  EXPECT_EQ(a->reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  b->context.TryCancel();
  (void)b->reader->Finish();
}

TEST_F(HealthServiceTest, ShutdownSendsNotServingThenEndsEveryWatch) {
  health_.SetServingStatus(true);
  health_.SetServingStatus("a", true);
  auto all = Watch("");
  auto a = Watch("a");
  auto unknown = Watch("nope");
  EXPECT_EQ(all->Next(), HealthCheckResponse::SERVING);
  EXPECT_EQ(a->Next(), HealthCheckResponse::SERVING);
  EXPECT_EQ(unknown->Next(), HealthCheckResponse::SERVICE_UNKNOWN);

  health_.Shutdown();
  for (Watcher* w : {all.get(), a.get()}) {
    EXPECT_EQ(w->Next(), HealthCheckResponse::NOT_SERVING);
    EXPECT_EQ(w->Next(), HealthCheckResponse::UNKNOWN);  // the stream ended
    EXPECT_EQ(w->reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_EQ(unknown->Next(), HealthCheckResponse::UNKNOWN);
  EXPECT_EQ(unknown->reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);

  // A watch started afterwards gets NOT_SERVING and ends; status changes are ignored.
  health_.SetServingStatus("a", true);
  auto late = Watch("a");
  EXPECT_EQ(late->Next(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(late->Next(), HealthCheckResponse::UNKNOWN);
  EXPECT_EQ(late->reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  HealthCheckResponse::ServingStatus status;
  ASSERT_TRUE(Check("a", &status).ok());
  EXPECT_EQ(status, HealthCheckResponse::NOT_SERVING);
}

}  // namespace
}  // namespace certguard::rpc
