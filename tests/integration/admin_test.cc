// certguard.v1.RegistryAdmin against the real server: list, get (effective configuration),
// reload (success, and load errors while the previous revision keeps serving), status.
#include <signal.h>

#include <atomic>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
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
using ::certguard::testing::WriteFile;
using ::testing::HasSubstr;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ + "/root.pem", CertFactory::SelfSigned({.cn = "Admin Root", .is_ca = true}).pem());
    WriteFile(dir_ + "/a.yaml", "id: alpha\ndescription: first\ntrust: {anchor_files: [root.pem]}\n");
    WriteFile(dir_ + "/b.yaml", "id: beta\nclient_certificate_mode: OPTIONAL\ntrust: {anchor_files: [root.pem]}\n");
    server_ = std::make_unique<ServerProcess>(
        ServerBinary(), std::vector<std::string>{"--listen=127.0.0.1:0", "--policy_dir=" + dir_, "--watch_interval=0"});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
    stub_ =
        v1::RegistryAdmin::NewStub(grpc::CreateChannel(server_->admin_address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
  }
  static std::unique_ptr<grpc::ClientContext> Ctx(int seconds = 10) {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return c;
  }
  v1::RegistryStatus Status() {
    v1::RegistryStatus status;
    EXPECT_TRUE(stub_->GetRegistryStatus(Ctx().get(), {}, &status).ok());
    return status;
  }

  std::string dir_ = MakeTempDir("admin");
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::RegistryAdmin::Stub> stub_;
};

TEST_F(AdminTest, ListAndGetPolicies) {
  v1::ListPoliciesResponse list;
  ASSERT_TRUE(stub_->ListPolicies(Ctx().get(), {}, &list).ok());
  ASSERT_EQ(list.policies_size(), 2);
  EXPECT_EQ(list.policies(0).id(), "alpha");
  EXPECT_EQ(list.policies(1).id(), "beta");
  EXPECT_THAT(list.policies(0).summary(), HasSubstr("first"));
  EXPECT_EQ(list.policies(0).source_file(), "a.yaml");  // relative to --policy_dir
  EXPECT_EQ(list.policies(0).revision().size(), 16u);
  EXPECT_EQ(list.revision(), Status().revision());

  v1::GetPolicyRequest get;
  get.set_policy_id("beta");
  v1::GetPolicyResponse policy;
  ASSERT_TRUE(stub_->GetPolicy(Ctx().get(), get, &policy).ok());
  // The effective configuration: defaults filled in.
  EXPECT_EQ(policy.policy().client_certificate_mode(), v1::OPTIONAL);
  EXPECT_TRUE(policy.policy().require_https());
  EXPECT_EQ(policy.policy().trust().max_chain_depth(), 5u);
  EXPECT_THAT(policy.policy().extended_key_usage().allowed(), ::testing::ElementsAre("clientAuth"));
  EXPECT_EQ(policy.source_file(), "b.yaml");
  get.set_policy_id("nope");
  EXPECT_EQ(stub_->GetPolicy(Ctx().get(), get, &policy).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminTest, ReloadReportsErrorsAndKeepsServingThenRecovers) {
  const v1::RegistryStatus before = Status();
  EXPECT_EQ(before.policy_count(), 2);
  EXPECT_EQ(before.reload_failures(), 0);
  EXPECT_TRUE(before.last_error().empty());

  WriteFile(dir_ + "/c.yaml", "id: gamma\ntrust: {anchor_files: [missing.pem]}\n");
  v1::ReloadResponse reload;
  ASSERT_TRUE(stub_->Reload(Ctx().get(), {}, &reload).ok());
  EXPECT_FALSE(reload.ok());
  EXPECT_EQ(reload.revision(), before.revision());  // the previous registry keeps serving
  ASSERT_EQ(reload.errors_size(), 1);
  EXPECT_THAT(reload.errors(0), ::testing::StartsWith("c.yaml: policy 'gamma': trust.anchor_files[0]"));
  EXPECT_THAT(reload.errors(0), ::testing::Not(HasSubstr(dir_)));
  v1::RegistryStatus failed = Status();
  EXPECT_EQ(failed.revision(), before.revision());
  EXPECT_EQ(failed.reload_failures(), 1);
  EXPECT_THAT(failed.last_error(), HasSubstr("missing.pem"));
  EXPECT_THAT(failed.last_error(), ::testing::Not(HasSubstr(dir_ + "/")));
  EXPECT_TRUE(failed.has_last_error_at());

  WriteFile(dir_ + "/c.yaml", "id: gamma\ntrust: {anchor_files: [root.pem]}\n");
  ASSERT_TRUE(stub_->Reload(Ctx().get(), {}, &reload).ok());
  EXPECT_TRUE(reload.ok());
  EXPECT_NE(reload.revision(), before.revision());
  v1::RegistryStatus after = Status();
  EXPECT_EQ(after.revision(), reload.revision());
  EXPECT_EQ(after.policy_count(), 3);
  EXPECT_GE(after.reload_successes(), before.reload_successes() + 1);
}

// Reloads run on the reloader's own thread, one at a time: a storm of concurrent Reload calls
// (each a load of 1,500 policies) costs at most one running load and one waiting, gets every
// caller an answer, and no Validate or Health call made meanwhile misses its 2 s deadline.
TEST_F(AdminTest, ConcurrentReloadsAreSingleFlightAndNeverHoldOtherCalls) {
  for (int i = 0; i < 1500; ++i) {
    WriteFile(absl::StrCat(dir_, "/p", i, ".yaml"), absl::StrCat("id: p", i, "\ntrust: {anchor_files: [root.pem]}\n"));
  }
  const int64_t loads_before = Status().reload_successes() + Status().reload_failures();
  auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  auto validator = v1::CertificateValidator::NewStub(channel);
  auto health = grpc::health::v1::Health::NewStub(channel);

  constexpr int kReloads = 32;
  std::atomic<int> reloads_answered{0}, reloads_ok{0};
  std::atomic<bool> storm_over{false};
  std::atomic<int> calls{0}, calls_failed{0};
  std::vector<std::thread> others;
  for (int t = 0; t < 2; ++t) {
    others.emplace_back([&, t] {
      while (!storm_over.load()) {
        grpc::Status status;
        if (t == 0) {
          v1::ValidateCertificateRequest request;
          request.set_policy_id("alpha");
          request.set_header_value("not a certificate");
          v1::ValidateCertificateResponse response;
          status = validator->ValidateCertificate(Ctx(2).get(), request, &response);
        } else {
          grpc::health::v1::HealthCheckResponse response;
          status = health->Check(Ctx(2).get(), {}, &response);
        }
        calls.fetch_add(1);
        if (!status.ok()) calls_failed.fetch_add(1);
      }
    });
  }
  std::vector<std::thread> reloads;
  for (int i = 0; i < kReloads; ++i) {
    reloads.emplace_back([&] {
      v1::ReloadResponse response;
      if (stub_->Reload(Ctx(120).get(), {}, &response).ok()) {
        reloads_answered.fetch_add(1);
        if (response.ok()) reloads_ok.fetch_add(1);
      }
    });
  }
  for (std::thread& t : reloads) t.join();
  storm_over.store(true);
  for (std::thread& t : others) t.join();

  EXPECT_EQ(reloads_answered.load(), kReloads);
  EXPECT_EQ(reloads_ok.load(), kReloads);
  EXPECT_GT(calls.load(), 0);
  EXPECT_EQ(calls_failed.load(), 0) << "of " << calls.load() << " Validate and Health calls";
  const v1::RegistryStatus after = Status();
  EXPECT_EQ(after.policy_count(), 1502);
  // Every caller was answered by a load that began after it asked, so at least one load ran;
  // single-flight means far fewer loads than callers.
  const int64_t loads = after.reload_successes() + after.reload_failures() - loads_before;
  EXPECT_GE(loads, 1);
  EXPECT_LT(loads, kReloads);
}

// The operator's CLI over the admin listener: list, get, status (text and JSON), reload (exit 0
// when it serves, 1 when the server refused the new registry).
TEST_F(AdminTest, CliListsGetsReloadsAndReportsStatus) {
  const std::string target = "--admin_target=" + server_->admin_address();
  std::string out;
  ASSERT_EQ(RunCommand({CliBinary(), "admin", "list", target}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("2 policies"));
  EXPECT_THAT(out, HasSubstr("alpha\t"));
  EXPECT_THAT(out, HasSubstr("\tb.yaml\t"));
  ASSERT_EQ(RunCommand({CliBinary(), "admin", "list", target, "--json"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\"source_file\": \"a.yaml\""));
  ASSERT_EQ(RunCommand({CliBinary(), "admin", "get", target, "--policy=beta"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\"client_certificate_mode\": \"OPTIONAL\""));
  EXPECT_EQ(RunCommand({CliBinary(), "admin", "get", target, "--policy=nope"}, &out), 2);
  ASSERT_EQ(RunCommand({CliBinary(), "admin", "status", target}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("policies:         2"));
  ASSERT_EQ(RunCommand({CliBinary(), "admin", "reload", target}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("reloaded: revision " + Status().revision()));

  WriteFile(dir_ + "/c.yaml", "id: gamma\ntrust: {anchor_files: [missing.pem]}\n");
  EXPECT_EQ(RunCommand({CliBinary(), "admin", "reload", target}, &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("reload refused"));
  EXPECT_THAT(out, HasSubstr("c.yaml: policy 'gamma'"));
  ASSERT_EQ(RunCommand({CliBinary(), "admin", "status", target, "--json"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\"reload_failures\": \"1\""));

  EXPECT_EQ(RunCommand({CliBinary(), "admin", "frobnicate", target}, &out), 2);
  // The data port has no admin service: the CLI says the call failed.
  EXPECT_EQ(RunCommand({CliBinary(), "admin", "status", "--admin_target=" + server_->address()}, &out), 2);
}

}  // namespace
}  // namespace certguard
