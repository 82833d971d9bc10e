// certguard's Prometheus metrics. Decisions are counted as they happen (RecordDecision, from
// the DecisionObserver); cache, registry and reload figures are read at scrape time from a
// StateSnapshot the caller fills. Thread-safe.
//
//   certguard_requests_total{policy,decision,reason,frontend}   counter
//   certguard_request_duration_seconds{frontend}                 histogram
//   certguard_revocation_checks_total{result}                    counter
//   certguard_cache_hits_total, certguard_cache_misses_total     counter
//   certguard_cache_entries                                      gauge
//   certguard_certificate_cache_hits_total, ..._misses_total     counter
//   certguard_certificate_cache_entries                          gauge
//   certguard_registry_revision_info{revision}                   gauge (1)
//   certguard_registry_policies                                  gauge
//   certguard_registry_reloads_total{result="success|failure"}   counter
//   certguard_ocsp_fetch_failures_total{source="fetched|cached"} counter
//   certguard_connections_open                                   gauge
//   certguard_connections_refused_total                          counter
#ifndef CERTGUARD_SERVER_OBSERVABILITY_METRICS_H_
#define CERTGUARD_SERVER_OBSERVABILITY_METRICS_H_

#include <array>
#include <cstdint>
#include <string>

#include "server/core/decision_observer.h"
#include "server/observability/histogram.h"
#include "server/observability/labeled_counters.h"

namespace certguard::observability {

// Values owned by other components, sampled once per scrape.
struct StateSnapshot {
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  uint64_t cache_entries = 0;
  uint64_t certificate_cache_hits = 0;
  uint64_t certificate_cache_misses = 0;
  uint64_t certificate_cache_entries = 0;
  bool registry_loaded = false;
  std::string registry_revision;
  uint64_t registry_policies = 0;
  uint64_t reload_successes = 0;
  uint64_t reload_failures = 0;
  uint64_t ocsp_failed_fetches = 0;
  uint64_t ocsp_skipped_fetches = 0;
  uint64_t connections_open = 0;
  uint64_t connections_refused = 0;
};

// The label values one decision is counted under. Never taken from untrusted text: the policy
// is the id of a policy that was found (else ""), the rest are enum or status-code names.
// Views into static names and the event's response: valid while the event is.
struct DecisionLabels {
  absl::string_view policy;
  absl::string_view decision;  // "ALLOW", "DENY", or "ERROR" for an RPC-level failure
  absl::string_view reason;    // Reason enum name, or the status code name for "ERROR"
  absl::string_view frontend;  // "validator", "ext_authz", or "other"
};
DecisionLabels LabelsFor(const core::DecisionEvent& event);

// Outcome names of the revocation checks in a response: "not_revoked", "not_revoked_stale_crl"
// for a passed "revocation" check, the lower-case reason for a failed one (or for a chain
// check that failed with REVOKED / REVOCATION_UNKNOWN). Empty when no revocation check ran.
std::vector<std::string> RevocationOutcomes(const v1::ValidateCertificateResponse& response);

class Metrics {
 public:
  Metrics();

  void RecordDecision(const core::DecisionEvent& event);

  // The whole exposition (text format 0.0.4).
  std::string Render(const StateSnapshot& state) const;

 private:
  static constexpr size_t kFrontends = 3;  // validator, ext_authz, other

  LabeledCounters requests_;
  LabeledCounters revocation_;
  std::array<Histogram, kFrontends> durations_;
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_METRICS_H_
