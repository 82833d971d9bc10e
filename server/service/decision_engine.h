// The entry point both front ends (CertificateValidator and Envoy ext_authz) call: takes the
// current registry snapshot, consults the verdict cache, and runs the evaluator on a miss.
// Thread-safe.
#ifndef CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_
#define CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/policy/registry_store.h"
#include "server/service/clock.h"
#include "server/service/decision_observer.h"
#include "server/service/evaluator.h"
#include "server/service/verdict_cache.h"

namespace certguard::service {

class DecisionEngine {
 public:
  // `store` must outlive the engine.
  DecisionEngine(const policy::RegistryStore* store, Clock clock, VerdictCacheOptions cache_options);

  // Same contract as EvaluateInRegistry (UNAVAILABLE / INVALID_ARGUMENT / NOT_FOUND), plus the
  // verdict cache: path exclusions, plain-HTTP refusals and absent certificates are never
  // cached; a cached verdict is returned with from_cache = true.
  absl::Status Decide(absl::string_view policy_id, const EvaluationInput& input,
                      v1::ValidateCertificateResponse* response);
  // The same for a front end's call: DEADLINE_EXCEEDED (before any work) when `call.deadline`
  // or the max call duration has passed, and again when the decision finished too late; the
  // observer (if any) sees every call.
  absl::Status Decide(absl::string_view policy_id, const EvaluationInput& input,
                      v1::ValidateCertificateResponse* response, const CallInfo& call);

  // Set before serving; not synchronised with Decide. `observer` must outlive the engine.
  void set_observer(DecisionObserver* observer) { observer_ = observer; }
  // Longest time one call may take on the server, whatever the client's deadline; infinite = none.
  void set_max_call_duration(absl::Duration d) { max_call_duration_ = d; }

  VerdictCache& cache() { return cache_; }
  const policy::RegistryStore& store() const { return *store_; }
  absl::Time Now() const { return clock_(); }

 private:
  const policy::RegistryStore* store_;
  Clock clock_;
  VerdictCache cache_;
  DecisionObserver* observer_ = nullptr;
  absl::Duration max_call_duration_ = absl::InfiniteDuration();
};

// SHA-256 (hex) over every header's lower-cased name, format and value: the cache's stand-in
// for the presented chain (the same header bytes always decode to the same chain).
std::string HeaderDigest(const EvaluationInput& input);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_
