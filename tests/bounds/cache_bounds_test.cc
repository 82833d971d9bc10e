// The verdict and parsed-certificate caches against a client that sends endless distinct
// certificates (the report: 6,000 untrusted certificates with 600 SANs each drove RSS to 1.23 GiB
// while both caches were bounded by entry count only).
#include "gtest/gtest.h"
#include "tests/bounds/attack.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/server_process.h"

namespace certguard::bounds {
namespace {

using testing::Registry;
using testing::ServerProcess;

TEST(CacheBoundsTest, DistinctUntrustedCertificatesStayWithinTheByteBudgets) {
  ServerProcess server(
      testing::ServerBinary(),
      {"--policy_dir=" + Registry().dir, "--listen=127.0.0.1:0", "--decision_log=off", "--cache_max_bytes=4194304",
       "--cache_deny_max_bytes=2097152", "--certificate_cache_bytes=4194304"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  ASSERT_TRUE(testing::CallOnce(server.address(), "seed", Registry().leaf_header).status.ok());
  const int64_t baseline = StatusKib(server.pid(), "VmRSS");
  // 400 self-signed leaves with 600 SANs each: ~80 MB of parsed certificates if all were kept.
  const testing::TestCert stranger_ca = testing::CertFactory::SelfSigned({.cn = "Stranger CA", .is_ca = true});
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  for (int i = 0; i < 400; ++i) {
    testing::CertSpec spec{.cn = "stranger-" + std::to_string(i), .eku = {"clientAuth"}};
    for (int j = 0; j < 600; ++j) spec.san_dns.push_back("h" + std::to_string(j) + ".stranger.example");
    const testing::TestCert leaf = testing::CertFactory::Issue(spec, stranger_ca);
    v1::ValidateCertificateRequest request;
    request.set_policy_id("seed");
    request.set_header_name("X-ARR-ClientCert");
    request.set_header_value(leaf.base64_der());
    const testing::CallResult r = testing::Call(channel, request);
    ASSERT_TRUE(r.status.ok()) << r.status.error_message();
    ASSERT_EQ(r.response.decision(), v1::DENY);
  }
  // Both budgets (8 MiB) plus the gRPC and allocator slack of 400 calls.
  EXPECT_LT(StatusKib(server.pid(), "VmHWM"), baseline + 40 * 1024) << "baseline " << baseline << " KiB";
  // The trusted client is still served.
  const testing::CallResult r = testing::CallOnce(server.address(), "seed", Registry().leaf_header);
  EXPECT_EQ(r.response.decision(), v1::ALLOW);
}

}  // namespace
}  // namespace certguard::bounds
