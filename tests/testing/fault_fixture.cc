#include "tests/testing/fault_fixture.h"

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace certguard::testing {
namespace {

using testing::CertFactory;
using testing::TestCert;
using testing::Y;

std::chrono::system_clock::time_point Deadline() { return std::chrono::system_clock::now() + std::chrono::seconds(10); }

}  // namespace

const FaultRegistry& Registry() {
  static const FaultRegistry* const registry = [] {
    auto* r = new FaultRegistry();
    r->root = CertFactory::SelfSigned({.cn = "Fault Root", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
    r->intermediate = CertFactory::Issue(
        {.cn = "Fault Issuing CA", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true}, r->root);
    r->leaf = CertFactory::Issue({.cn = "app.contoso.com",
                                  .not_before = Y(1970),
                                  .not_after = Y(9999),
                                  .eku = {"clientAuth"},
                                  .san_dns = {"app.contoso.com"}},
                                 r->intermediate);
    r->leaf_header = r->leaf.base64_der();
    r->dir = testing::MakeTempDir("fault-registry");
    testing::WriteFile(r->dir + "/ca/root.pem", r->root.pem());
    testing::WriteFile(r->dir + "/ca/intermediate.pem", r->intermediate.pem());
    testing::WriteFile(r->dir + "/policies.yaml", PoliciesYaml());
    return r;
  }();
  return *registry;
}

std::string PoliciesYaml(const std::string& extra) {
  return absl::StrCat(
      "policies:\n"
      "  - id: seed\n"
      "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
      "    identity: {subject: {cn: [app.contoso.com]}}\n",
      extra,
      "  - id: open\n"
      "    client_certificate_mode: OPTIONAL\n"
      "    exclusion_paths: /health\n"
      "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n");
}

std::string CopyRegistry(const std::string& dir, const std::string& prefix) {
  namespace fs = std::filesystem;
  const std::string copy = testing::MakeTempDir(prefix);
  fs::copy(dir, copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return copy;
}

CallResult Call(const std::shared_ptr<grpc::Channel>& channel, const v1::ValidateCertificateRequest& request,
                std::chrono::seconds timeout) {
  auto stub = v1::CertificateValidator::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  CallResult result;
  result.status = stub->ValidateCertificate(&context, request, &result.response);
  return result;
}

CallResult CallOnce(const std::string& address, const std::string& policy, const std::string& header_value) {
  v1::ValidateCertificateRequest request;
  request.set_policy_id(policy);
  request.set_header_name("X-ARR-ClientCert");
  request.set_header_value(header_value);
  return Call(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()), request);
}

v1::RegistryStatus GetStatus(const std::string& address) {
  auto stub = v1::RegistryAdmin::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::RegistryStatus status;
  const grpc::Status rpc = stub->GetRegistryStatus(&context, v1::GetRegistryStatusRequest(), &status);
  EXPECT_TRUE(rpc.ok()) << rpc.error_message();
  return status;
}

v1::ReloadResponse Reload(const std::string& address) {
  auto stub = v1::RegistryAdmin::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ReloadResponse response;
  const grpc::Status rpc = stub->Reload(&context, v1::ReloadRequest(), &response);
  EXPECT_TRUE(rpc.ok()) << rpc.error_message();
  return response;
}

LoadGenerator::LoadGenerator(const std::string& address, int threads, const std::string& header)
    : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())), header_(header) {
  totals_.calls.resize(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Run(i); });
}

LoadGenerator::~LoadGenerator() { Stop(); }

void LoadGenerator::Run(int thread) {
  v1::ValidateCertificateRequest request;
  request.set_policy_id("seed");
  request.set_header_name("X-ARR-ClientCert");
  request.set_header_value(header_);
  for (int n = 0; !stop_.load(); ++n) {
    request.set_caller(absl::StrCat("load-", thread, "-", n));
    CallResult result = Call(channel_, request);
    {
      std::lock_guard<std::mutex> lock(mu_);
      totals_.calls[static_cast<size_t>(thread)].push_back(
          {request.caller(), result.status.error_code(),
           result.status.ok() && result.response.decision() == v1::ALLOW && result.response.reason() == v1::OK});
      if (result.status.ok()) {
        ++totals_.ok;
        ok_.fetch_add(1);
        if (result.response.decision() != v1::ALLOW || result.response.reason() != v1::OK) ++totals_.wrong_decision;
        totals_.revisions.insert(result.response.revision());
        if (totals_.revision_sequence.empty() || totals_.revision_sequence.back() != result.response.revision()) {
          totals_.revision_sequence.push_back(result.response.revision());
        }
      } else {
        ++totals_.errors[result.status.error_code()];
        if (totals_.error_messages.size() < 5) totals_.error_messages.push_back(result.status.error_message());
      }
    }
    // A refused call (server gone or draining) is retried after a pause, not in a hot loop.
    if (!result.status.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void LoadGenerator::WaitForCalls(int n) {
  for (int i = 0; i < 3000 && ok_.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

LoadGenerator::Totals LoadGenerator::Stop() {
  stop_.store(true);
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  std::lock_guard<std::mutex> lock(mu_);
  return totals_;
}

}  // namespace certguard::testing
