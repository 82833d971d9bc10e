#include "server/observability/decision_log.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/time/civil_time.h"
#include "tests/testing/cert_factory.h"

namespace certguard::observability {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::Time At() {
  return absl::FromCivil(absl::CivilSecond(2025, 1, 2, 3, 4, 5), absl::UTCTimeZone()) + absl::Milliseconds(678);
}

v1::ValidateCertificateResponse Allowed(const std::string& subject) {
  v1::ValidateCertificateResponse r;
  r.set_decision(v1::ALLOW);
  r.set_reason(v1::OK);
  r.set_policy_id("seed");
  r.set_revision("0123456789abcdef");
  r.mutable_identity()->set_subject(subject);
  r.mutable_identity()->set_sha256_thumbprint("AB12");
  r.mutable_identity()->set_spki_sha256("secret-ish");
  return r;
}

TEST(DecisionLogTest, LineHasEveryFieldInOrder) {
  const core::CallInfo call{"validator", "orders-api", "spiffe://example.org/ns/orders/sa/api", absl::InfiniteFuture()};
  const absl::Status ok;
  const auto r = Allowed("CN=app,O=Contoso");
  const std::string line = FormatDecisionLine({&call, "seed", &ok, &r, absl::Microseconds(412)}, At());
  EXPECT_EQ(
      line,
      "{\"ts\":\"2025-01-02T03:04:05.678Z\",\"policy\":\"seed\",\"decision\":\"ALLOW\",\"reason\":\"OK\","
      "\"subject\":\"CN=app,O=Contoso\",\"sha256\":\"AB12\",\"revision\":\"0123456789abcdef\","
      "\"latency_us\":412,\"caller\":\"orders-api\","
      "\"peer_identity\":\"spiffe://example.org/ns/orders/sa/api\",\"frontend\":\"validator\",\"https\":\"unstated\","
      "\"from_cache\":false}");
}

TEST(DecisionLogTest, LineSaysWhetherTheRequestWasHttps) {
  const core::CallInfo call{"ext_authz", "envoy", "", absl::InfiniteFuture()};
  const absl::Status ok;
  const auto r = Allowed("CN=app");
  for (const auto& [is_https, want] : std::vector<std::pair<std::optional<bool>, std::string>>{
           {true, "yes"}, {false, "no"}, {std::nullopt, "unstated"}}) {
    const std::string line = FormatDecisionLine({&call, "seed", &ok, &r, absl::Microseconds(1), is_https}, At());
    EXPECT_EQ(nlohmann::json::parse(line)["https"], want) << line;
  }
}

TEST(DecisionLogTest, HostileStringsStayOneValidJsonLine) {
  const std::vector<std::string> hostile = {
      "CN=a\"b,O=\\\"x\"",                            // quotes and backslashes
      "CN=line1\nline2\r\n{\"decision\":\"ALLOW\"}",  // forged line
      std::string("CN=\xff\xfe\xc3(invalid utf8"),
      std::string("CN=nul\0byte", 11),
      std::string(100000, 'A'),  // oversized
  };
  for (const std::string& subject : hostile) {
    const core::CallInfo call{"ext_authz", subject, subject, absl::InfiniteFuture()};
    const absl::Status ok;
    const auto r = Allowed(subject);
    const std::string line = FormatDecisionLine({&call, subject, &ok, &r, absl::Microseconds(1)}, At());
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.find('\r'), std::string::npos);
    EXPECT_LT(line.size(), 2048u);
    nlohmann::json parsed = nlohmann::json::parse(line);  // valid JSON, valid UTF-8
    EXPECT_EQ(parsed["decision"], "ALLOW");
    EXPECT_EQ(parsed.size(), 13u);
    EXPECT_THAT(line, Not(HasSubstr("secret-ish")));
  }
}

TEST(DecisionLogTest, ErrorsNameTheStatusAndBoundTheRequestedPolicy) {
  const core::CallInfo call{"validator", "ipv4:127.0.0.1:4000", "", absl::InfiniteFuture()};
  const absl::Status status = absl::NotFoundError("no policy");
  const v1::ValidateCertificateResponse empty;
  const std::string requested(5000, 'p');
  nlohmann::json parsed =
      nlohmann::json::parse(FormatDecisionLine({&call, requested, &status, &empty, absl::Microseconds(3)}, At()));
  EXPECT_EQ(parsed["decision"], "ERROR");
  EXPECT_EQ(parsed["reason"], "NOT_FOUND");
  EXPECT_EQ(parsed["error"], "no policy");
  EXPECT_EQ(parsed["policy"].get<std::string>().size(), kMaxFieldBytes + 3);
  EXPECT_EQ(parsed["subject"], "");
}

TEST(DecisionLogTest, SamplingAppliesToAllowsOnly) {
  const core::CallInfo call{"validator", "", "", absl::InfiniteFuture()};
  const absl::Status ok;
  const auto allow = Allowed("CN=a");
  auto deny = allow;
  deny.set_decision(v1::DENY);
  const absl::Status error = absl::InvalidArgumentError("x");
  const core::DecisionEvent a{&call, "seed", &ok, &allow, {}}, d{&call, "seed", &ok, &deny, {}},
      e{&call, "seed", &error, &allow, {}};
  EXPECT_FALSE(ShouldLog(a, 0.0, 0.0));
  EXPECT_TRUE(ShouldLog(a, 0.5, 0.49));
  EXPECT_FALSE(ShouldLog(a, 0.5, 0.5));
  EXPECT_TRUE(ShouldLog(a, 1.0, 0.999));
  EXPECT_TRUE(ShouldLog(d, 0.0, 0.99));
  EXPECT_TRUE(ShouldLog(e, 0.0, 0.99));
}

TEST(DecisionLogTest, OpenValidatesAndWritesWholeLinesToAFile) {
  EXPECT_FALSE(DecisionLog::Open({"stdout", 1.5}).ok());
  EXPECT_FALSE(DecisionLog::Open({"/nonexistent-dir/x.log", 1.0}).ok());
  auto off = DecisionLog::Open({"off", 1.0});
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, nullptr);
  const std::string path = testing::MakeTempDir("dlog") + "/decisions.log";
  {
    auto log = DecisionLog::Open({path, 0.0});
    ASSERT_TRUE(log.ok()) << log.status();
    const core::CallInfo call{"validator", "c", "", absl::InfiniteFuture()};
    const absl::Status ok;
    const auto allow = Allowed("CN=a");
    auto deny = allow;
    deny.set_decision(v1::DENY);
    (*log)->Record({&call, "seed", &ok, &allow, {}});  // sampled out
    (*log)->Record({&call, "seed", &ok, &deny, {}});
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("\"decision\":\"DENY\""));
  EXPECT_THAT(text.str(), Not(HasSubstr("\"decision\":\"ALLOW\"")));
}

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DecisionLogTest, FlushIntervalMustBeZeroOrAtLeastAMillisecond) {
  EXPECT_FALSE(DecisionLog::Open({"stdout", 1.0, absl::Microseconds(10)}).ok());
  EXPECT_FALSE(DecisionLog::Open({"stdout", 1.0, -absl::Seconds(1)}).ok());
  EXPECT_FALSE(DecisionLog::Open({"stdout", 1.0, absl::InfiniteDuration()}).ok());
  EXPECT_TRUE(DecisionLog::Open({"stdout", 1.0, absl::ZeroDuration()}).ok());
  EXPECT_TRUE(DecisionLog::Open({"stdout", 1.0, absl::Milliseconds(1)}).ok());
}

TEST(DecisionLogTest, ZeroFlushIntervalWritesEachLineAtOnce) {
  const std::string path = testing::MakeTempDir("dlog-now") + "/decisions.log";
  auto log = DecisionLog::Open({path, 1.0, absl::ZeroDuration()});
  ASSERT_TRUE(log.ok()) << log.status();
  const core::CallInfo call{"validator", "c", "", absl::InfiniteFuture()};
  const absl::Status ok;
  const auto allow = Allowed("CN=a");
  (*log)->Record({&call, "seed", &ok, &allow, {}});
  EXPECT_THAT(FileText(path), HasSubstr("\"decision\":\"ALLOW\""));  // while the log is open
}

TEST(DecisionLogTest, BufferedLinesAreWrittenByTheFlusherAndOnClose) {
  const core::CallInfo call{"validator", "c", "", absl::InfiniteFuture()};
  const absl::Status ok;
  const auto allow = Allowed("CN=a");
  // An interval no test run reaches: the line stays buffered until the log closes.
  const std::string slow = testing::MakeTempDir("dlog-slow") + "/decisions.log";
  {
    auto log = DecisionLog::Open({slow, 1.0, absl::Hours(24)});
    ASSERT_TRUE(log.ok()) << log.status();
    (*log)->Record({&call, "seed", &ok, &allow, {}});
    EXPECT_EQ(FileText(slow), "");
  }
  EXPECT_THAT(FileText(slow), HasSubstr("\"decision\":\"ALLOW\""));
  // A short interval: the background flusher writes it while the log stays open.
  const std::string fast = testing::MakeTempDir("dlog-fast") + "/decisions.log";
  auto log = DecisionLog::Open({fast, 1.0, absl::Milliseconds(5)});
  ASSERT_TRUE(log.ok()) << log.status();
  (*log)->Record({&call, "seed", &ok, &allow, {}});
  bool written = false;
  for (int i = 0; i < 6000 && !written; ++i) {  // up to a minute on a loaded machine
    written = FileText(fast).find("\"decision\":\"ALLOW\"") != std::string::npos;
    if (!written) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(written);
}

}  // namespace
}  // namespace certguard::observability
