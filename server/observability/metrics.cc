#include "server/observability/metrics.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/enum_names.h"
#include "server/policy/check_names.h"

namespace certguard::observability {
namespace {

constexpr const char* kFrontendNames[] = {"validator", "ext_authz", "other"};

std::string Lower(const std::string& s) { return absl::AsciiStrToLower(s); }

// absl::StatusCodeToString's names, made once (it returns a new string each call).
absl::string_view StatusCodeName(absl::StatusCode code) {
  static const std::vector<std::string>* const names = [] {
    auto* table = new std::vector<std::string>();
    for (int c = 0; c <= static_cast<int>(absl::StatusCode::kUnauthenticated); ++c) {
      table->push_back(absl::StatusCodeToString(static_cast<absl::StatusCode>(c)));
    }
    return table;
  }();
  const auto i = static_cast<size_t>(code);
  return i < names->size() ? absl::string_view((*names)[i]) : absl::string_view("UNKNOWN");
}

size_t FrontendIndex(absl::string_view frontend) {
  if (frontend == "validator") return 0;
  if (frontend == "ext_authz") return 1;
  return 2;
}

}  // namespace

DecisionLabels LabelsFor(const core::DecisionEvent& event) {
  DecisionLabels labels;
  labels.frontend = kFrontendNames[FrontendIndex(event.call == nullptr ? "" : event.call->frontend)];
  if (event.response != nullptr) labels.policy = event.response->policy_id();
  if (event.status != nullptr && !event.status->ok()) {
    labels.decision = "ERROR";
    labels.reason = StatusCodeName(event.status->code());
    return labels;
  }
  if (event.response == nullptr) {
    labels.decision = "ERROR";
    labels.reason = "UNKNOWN";
    return labels;
  }
  labels.decision = core::EnumName(event.response->decision());
  labels.reason = core::EnumName(event.response->reason());
  return labels;
}

std::vector<std::string> RevocationOutcomes(const v1::ValidateCertificateResponse& response) {
  std::vector<std::string> out;
  for (const v1::Check& check : response.checks()) {
    if (check.name() == policy::checks::kRevocation) {
      if (check.passed()) {
        out.push_back(check.failed_open() ? "not_revoked_stale_crl" : "not_revoked");
      } else {
        out.push_back(Lower(core::EnumName(check.reason())));
      }
    } else if (!check.passed() && (check.reason() == v1::REVOKED || check.reason() == v1::REVOCATION_UNKNOWN)) {
      out.push_back(Lower(core::EnumName(check.reason())));
    }
  }
  return out;
}

Metrics::Metrics() : requests_({"policy", "decision", "reason", "frontend"}), revocation_({"result"}) {}

void Metrics::RecordDecision(const core::DecisionEvent& event) {
  const DecisionLabels labels = LabelsFor(event);
  requests_.Add({labels.policy, labels.decision, labels.reason, labels.frontend});
  durations_[FrontendIndex(labels.frontend)].Observe(event.latency);
  // A cached verdict consulted no CRL this time.
  if (event.response != nullptr && !event.response->from_cache() && event.status != nullptr && event.status->ok()) {
    for (const std::string& outcome : RevocationOutcomes(*event.response)) revocation_.Add({outcome});
  }
}

std::string Metrics::Render(const StateSnapshot& state) const {
  std::string out;
  out += requests_.Render("certguard_requests_total",
                          "Decisions made, by policy, decision (ALLOW, DENY, ERROR), reason and front end.");
  out += Header("certguard_request_duration_seconds", "histogram",
                "Time spent deciding one request (registry lookup, cache, evaluation).");
  for (size_t i = 0; i < kFrontends; ++i) {
    out += durations_[i].RenderSamples("certguard_request_duration_seconds", {{"frontend", kFrontendNames[i]}});
  }
  out += revocation_.Render("certguard_revocation_checks_total",
                            "Revocation (CRL) check outcomes of evaluated (not cached) decisions.");
  absl::StrAppend(&out, Header("certguard_cache_hits_total", "counter", "Verdict cache hits."),
                  "certguard_cache_hits_total ", state.cache_hits, "\n");
  absl::StrAppend(&out, Header("certguard_cache_misses_total", "counter", "Verdict cache misses."),
                  "certguard_cache_misses_total ", state.cache_misses, "\n");
  absl::StrAppend(&out, Header("certguard_cache_entries", "gauge", "Verdicts currently cached."),
                  "certguard_cache_entries ", state.cache_entries, "\n");
  absl::StrAppend(&out, Header("certguard_certificate_cache_hits_total", "counter", "Parsed-certificate cache hits."),
                  "certguard_certificate_cache_hits_total ", state.certificate_cache_hits, "\n");
  absl::StrAppend(&out,
                  Header("certguard_certificate_cache_misses_total", "counter", "Parsed-certificate cache misses."),
                  "certguard_certificate_cache_misses_total ", state.certificate_cache_misses, "\n");
  absl::StrAppend(&out, Header("certguard_certificate_cache_entries", "gauge", "Parsed certificates currently cached."),
                  "certguard_certificate_cache_entries ", state.certificate_cache_entries, "\n");
  out += Header("certguard_registry_revision_info", "gauge", "The policy registry revision serving (always 1).");
  if (state.registry_loaded) {
    absl::StrAppend(&out, "certguard_registry_revision_info", FormatLabels({{"revision", state.registry_revision}}),
                    " 1\n");
  }
  absl::StrAppend(&out, Header("certguard_registry_policies", "gauge", "Policies in the serving registry."),
                  "certguard_registry_policies ", state.registry_policies, "\n");
  absl::StrAppend(&out,
                  Header("certguard_registry_reloads_total", "counter",
                         "Registry loads and reloads (startup, SIGHUP, admin, watch) by result."),
                  "certguard_registry_reloads_total{result=\"success\"} ", state.reload_successes, "\n",
                  "certguard_registry_reloads_total{result=\"failure\"} ", state.reload_failures, "\n");
  absl::StrAppend(&out,
                  Header("certguard_ocsp_fetch_failures_total", "counter",
                         "OCSP responder failures: fetched (a fetch failed) or cached (a check failed on a "
                         "recent failure of its responder, without a fetch)."),
                  "certguard_ocsp_fetch_failures_total{source=\"fetched\"} ", state.ocsp_failed_fetches, "\n",
                  "certguard_ocsp_fetch_failures_total{source=\"cached\"} ", state.ocsp_skipped_fetches, "\n");
  absl::StrAppend(&out, Header("certguard_connections_open", "gauge", "Client connections open (gRPC listeners)."),
                  "certguard_connections_open ", state.connections_open, "\n");
  absl::StrAppend(&out,
                  Header("certguard_connections_refused_total", "counter",
                         "Client connections closed on accept by --max_connections or --max_connections_per_peer."),
                  "certguard_connections_refused_total ", state.connections_refused, "\n");
  return out;
}

}  // namespace certguard::observability
