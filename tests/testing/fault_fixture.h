// Shared pieces of the fault and hostile-input integration tests: a generated registry whose
// certificates are valid 1970-9999 (the wall clock never matters), a gRPC load generator that
// records every call's outcome, and one-shot calls to the validator and admin services.
#ifndef CERTGUARD_TESTS_TESTING_FAULT_FIXTURE_H_
#define CERTGUARD_TESTS_TESTING_FAULT_FIXTURE_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "certguard/v1/validator.grpc.pb.h"
#include "tests/testing/cert_factory.h"

namespace certguard::testing {

// A registry directory with policies "seed" (chained to the generated root, ALLOWs `leaf`)
// and "open" (OPTIONAL mode, /health excluded). Built once per test binary; read-only.
struct FaultRegistry {
  testing::TestCert root, intermediate, leaf;
  std::string dir;
  std::string leaf_header;  // base64 DER of the leaf (X-ARR-ClientCert)
};
const FaultRegistry& Registry();

// The text of Registry()'s policies.yaml, with `extra` YAML appended to policy "seed"
// (e.g. "    description: v2\n" to get a new revision with identical decisions).
std::string PoliciesYaml(const std::string& extra = "");

// Copies `dir` recursively to a fresh temporary directory; returns the copy's path.
std::string CopyRegistry(const std::string& dir, const std::string& prefix);

struct CallResult {
  grpc::Status status;
  v1::ValidateCertificateResponse response;
};
// One ValidateCertificate call (X-ARR-ClientCert, 10 s deadline) on a fresh channel.
CallResult CallOnce(const std::string& address, const std::string& policy, const std::string& header_value);
// Same on a caller-provided channel with a full request and deadline.
CallResult Call(const std::shared_ptr<grpc::Channel>& channel, const v1::ValidateCertificateRequest& request,
                std::chrono::seconds timeout = std::chrono::seconds(10));

// RegistryAdmin calls (10 s deadline); abort the test on an RPC error.
v1::RegistryStatus GetStatus(const std::string& address);
v1::ReloadResponse Reload(const std::string& address);

// `threads` threads calling policy "seed" with `header` in a loop until Stop(). A call that
// returns OK must be ALLOW/OK; every other outcome is counted by status code. Every call carries
// a unique `caller` ("load-<thread>-<n>"), which the server's decision log names, and is
// recorded in order per thread.
class LoadGenerator {
 public:
  struct CallRecord {
    std::string caller;
    grpc::StatusCode code = grpc::StatusCode::OK;
    bool allowed = false;  // OK status with ALLOW/OK
  };
  struct Totals {
    int ok = 0;
    int wrong_decision = 0;                      // OK status but not ALLOW/OK
    std::map<grpc::StatusCode, int> errors;      // non-OK statuses by code
    std::set<std::string> revisions;             // every revision seen in an OK response
    std::vector<std::string> revision_sequence;  // revisions in order of change (per all threads)
    std::vector<std::string> error_messages;     // the first few error messages
    std::vector<std::vector<CallRecord>> calls;  // per thread, in the order made
  };
  LoadGenerator(const std::string& address, int threads, const std::string& header);
  ~LoadGenerator();
  // Blocks until at least `n` calls returned OK (or 30 s passed).
  void WaitForCalls(int n);
  int ok_calls() const { return ok_.load(); }
  Totals Stop();

 private:
  void Run(int thread);
  std::shared_ptr<grpc::Channel> channel_;
  std::string header_;
  std::atomic<bool> stop_{false};
  std::atomic<int> ok_{0};
  std::mutex mu_;
  Totals totals_;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_FAULT_FIXTURE_H_
