// Outbound OCSP fetches against hostile responders, through the real server: an endless
// response body costs at most the 64 KiB response limit (the report: 1 GiB read whole, 2 GiB
// RSS), and a responder dripping bytes holds a revocation thread no longer than the policy's
// timeout, for the whole fetch (the report: 27 s on a 2 s timeout).
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/bounds/attack.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/hostile_responder.h"
#include "tests/testing/raw_http.h"
#include "tests/testing/server_process.h"

namespace certguard::bounds {
namespace {

using testing::HostileResponder;
using testing::Registry;
using testing::ServerProcess;

// A registry with policy "hostile": the fault registry's CA, OCSP on `url` with `timeout_ms`.
std::string HostileRegistry(const std::string& url, int timeout_ms) {
  const std::string dir = testing::CopyRegistry(Registry().dir, "hostile-ocsp");
  testing::WriteFile(dir + "/hostile.yaml",
                     absl::StrCat("id: hostile\n"
                                  "trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                                  "revocation: {ocsp: {enabled: true, responder_url: \"",
                                  url, "\", timeout_ms: ", timeout_ms, "}}\n"));
  return dir;
}

TEST(RevocationBoundsTest, AnEndlessOcspBodyIsCutAtTheLimit) {
  HostileResponder responder(HostileResponder::Mode::kEndlessBody);
  ServerProcess server(testing::ServerBinary(), {"--policy_dir=" + HostileRegistry(responder.url(), 60000),
                                                 "--listen=127.0.0.1:0", "--decision_log=off"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const int64_t baseline = StatusKib(server.pid(), "VmRSS");
  for (int i = 0; i < 4; ++i) {
    const testing::CallResult r = testing::CallOnce(server.address(), "hostile", Registry().leaf_header);
    ASSERT_TRUE(r.status.ok()) << r.status.error_message();
    EXPECT_EQ(r.response.decision(), v1::DENY);
    EXPECT_EQ(r.response.reason(), v1::REVOCATION_UNKNOWN);
  }
  EXPECT_GE(responder.connections(), 1);
  EXPECT_LT(StatusKib(server.pid(), "VmHWM"), baseline + 32 * 1024);
}

TEST(RevocationBoundsTest, ADrippingResponderHoldsAFetchForItsTimeoutOnly) {
  HostileResponder responder(HostileResponder::Mode::kDrip, absl::Milliseconds(20));
  ServerProcess server(testing::ServerBinary(), {"--policy_dir=" + HostileRegistry(responder.url(), 500),
                                                 "--listen=127.0.0.1:0", "--decision_log=off"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  const testing::CallResult r = testing::CallOnce(server.address(), "hostile", Registry().leaf_header);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(r.response.reason(), v1::REVOCATION_UNKNOWN);
  // 500 ms at one byte per 20 ms: about 25 bytes; per-read timeouts would let it drip forever.
  EXPECT_LT(responder.bytes_sent(), 2000);
}

// A responder that hangs costs one timeout per revocation.ocsp.failure_cache_ms, not one per call
// (the report: ~4 decisions/s, each paying the timeout, even under SOFT_FAIL).
TEST(RevocationBoundsTest, AHangingResponderIsAskedOncePerInterval) {
  HostileResponder responder(HostileResponder::Mode::kDrip, absl::Milliseconds(20));
  const std::string dir = testing::CopyRegistry(Registry().dir, "hanging-ocsp");
  testing::WriteFile(
      dir + "/hostile.yaml",
      absl::StrCat("id: hostile\n"
                   "trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                   "revocation: {ocsp: {enabled: true, responder_url: \"",
                   responder.url(), "\", timeout_ms: 300, unreachable: SOFT_FAIL, failure_cache_ms: 600000}}\n"));
  ServerProcess server(testing::ServerBinary(), {"--policy_dir=" + dir, "--listen=127.0.0.1:0", "--decision_log=off"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  for (int i = 0; i < 6; ++i) {
    const testing::CallResult r = testing::CallOnce(server.address(), "hostile", Registry().leaf_header);
    ASSERT_TRUE(r.status.ok()) << r.status.error_message();
    EXPECT_EQ(r.response.decision(), v1::ALLOW);  // SOFT_FAIL: failed open, never cached as a verdict
  }
  EXPECT_EQ(responder.connections(), 1);
  const std::string metrics = testing::HttpGet(server.metrics_address(), "/metrics");
  EXPECT_THAT(metrics, ::testing::HasSubstr("certguard_ocsp_fetch_failures_total{source=\"fetched\"} 1\n"));
  EXPECT_THAT(metrics, ::testing::HasSubstr("certguard_ocsp_fetch_failures_total{source=\"cached\"} 5\n"));
}

}  // namespace
}  // namespace certguard::bounds
