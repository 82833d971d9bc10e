#include "server/observability/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certguard::observability {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::ValidateCertificateResponse Response(v1::Decision d, v1::Reason r, const std::string& policy) {
  v1::ValidateCertificateResponse response;
  response.set_decision(d);
  response.set_reason(r);
  response.set_policy_id(policy);
  return response;
}

core::DecisionEvent Event(const core::CallInfo& call, const absl::Status& status,
                          const v1::ValidateCertificateResponse& response) {
  return core::DecisionEvent{&call, response.policy_id(), &status, &response, absl::Microseconds(300)};
}

TEST(MetricsTest, RendersEveryFamily) {
  Metrics metrics;
  const core::CallInfo validator{"validator", "app", "", absl::InfiniteFuture()};
  const core::CallInfo envoy{"ext_authz", "ipv4:10.0.0.1:5555", "", absl::InfiniteFuture()};
  const absl::Status ok;
  const auto allow = Response(v1::ALLOW, v1::OK, "seed");
  metrics.RecordDecision(Event(validator, ok, allow));
  metrics.RecordDecision(Event(validator, ok, allow));
  metrics.RecordDecision(Event(envoy, ok, Response(v1::DENY, v1::EXPIRED, "seed")));
  const absl::Status not_found = absl::NotFoundError("no policy 'x\"y'");
  const v1::ValidateCertificateResponse empty;
  metrics.RecordDecision(core::DecisionEvent{&validator, "x\"y", &not_found, &empty, absl::Microseconds(5)});

  StateSnapshot state;
  state.cache_hits = 7;
  state.cache_misses = 3;
  state.cache_entries = 2;
  state.certificate_cache_hits = 11;
  state.certificate_cache_misses = 5;
  state.certificate_cache_entries = 4;
  state.registry_loaded = true;
  state.registry_revision = "abc123";
  state.registry_policies = 4;
  state.reload_successes = 1;
  state.reload_failures = 2;
  const std::string text = metrics.Render(state);
  EXPECT_THAT(text, HasSubstr("# TYPE certguard_requests_total counter\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "certguard_requests_total{policy=\"seed\",decision=\"ALLOW\",reason=\"OK\",frontend=\"validator\"} 2\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "certguard_requests_total{policy=\"seed\",decision=\"DENY\",reason=\"EXPIRED\",frontend=\"ext_authz\"} 1\n"));
  // An unknown policy id never becomes a label value (it is untrusted and unbounded).
  EXPECT_THAT(
      text,
      HasSubstr(
          "certguard_requests_total{policy=\"\",decision=\"ERROR\",reason=\"NOT_FOUND\",frontend=\"validator\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("x\\\"y")));
  EXPECT_THAT(text, HasSubstr("# TYPE certguard_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("certguard_request_duration_seconds_bucket{frontend=\"validator\",le=\"0.0005\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("certguard_request_duration_seconds_count{frontend=\"validator\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("certguard_request_duration_seconds_count{frontend=\"ext_authz\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_cache_hits_total 7\n"));
  EXPECT_THAT(text, HasSubstr("certguard_cache_misses_total 3\n"));
  EXPECT_THAT(text, HasSubstr("certguard_cache_entries 2\n"));
  EXPECT_THAT(text, HasSubstr("certguard_certificate_cache_hits_total 11\n"));
  EXPECT_THAT(text, HasSubstr("certguard_certificate_cache_misses_total 5\n"));
  EXPECT_THAT(text, HasSubstr("certguard_certificate_cache_entries 4\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_revision_info{revision=\"abc123\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_policies 4\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_reloads_total{result=\"success\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_registry_reloads_total{result=\"failure\"} 2\n"));
  // Every non-comment line is "name{labels} value".
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_THAT(line, ::testing::MatchesRegex("certguard_[a-z_]+(\\{.*\\})? [0-9.e+-]+")) << line;
  }
}

TEST(MetricsTest, CountsRevocationOutcomesOfEvaluatedDecisionsOnly) {
  Metrics metrics;
  const core::CallInfo call{"validator", "", "", absl::InfiniteFuture()};
  const absl::Status ok;
  auto good = Response(v1::ALLOW, v1::OK, "p");
  auto* check = good.add_checks();
  check->set_name("revocation");
  check->set_passed(true);
  check->set_detail("not revoked according to the policy's CRLs");
  auto revoked = Response(v1::DENY, v1::REVOKED, "p");
  check = revoked.add_checks();
  check->set_name("chain");
  check->set_passed(false);
  check->set_reason(v1::REVOKED);
  metrics.RecordDecision(Event(call, ok, good));
  metrics.RecordDecision(Event(call, ok, revoked));
  good.set_from_cache(true);
  metrics.RecordDecision(Event(call, ok, good));
  const std::string text = metrics.Render({});
  EXPECT_THAT(text, HasSubstr("certguard_revocation_checks_total{result=\"not_revoked\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("certguard_revocation_checks_total{result=\"revoked\"} 1\n"));
  // No registry yet: no revision sample.
  EXPECT_THAT(text, Not(HasSubstr("certguard_registry_revision_info{")));
}

TEST(MetricsTest, RevocationOutcomes) {
  v1::ValidateCertificateResponse r;
  EXPECT_TRUE(RevocationOutcomes(r).empty());
  auto* c = r.add_checks();
  c->set_name("revocation");
  c->set_passed(true);
  c->set_detail("not revoked (a CRL is past nextUpdate; soft-fail)");
  c->set_failed_open(true);  // the typed outcome the metric reads, not the words of the detail
  c = r.add_checks();
  c->set_name("revocation");
  c->set_passed(false);
  c->set_reason(v1::REVOCATION_UNKNOWN);
  EXPECT_THAT(RevocationOutcomes(r), ::testing::ElementsAre("not_revoked_stale_crl", "revocation_unknown"));
}

}  // namespace
}  // namespace certguard::observability
