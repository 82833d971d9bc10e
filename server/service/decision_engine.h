// The entry point both front ends (CertificateValidator and Envoy ext_authz) call: takes the
// current registry snapshot, consults the verdict cache, and runs the evaluator on a miss.
// Thread-safe.
#ifndef CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_
#define CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_

#include <memory>
#include <string>

#include <grpcpp/support/slice.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/policy/registry_store.h"
#include "server/service/clock.h"
#include "server/service/decision_observer.h"
#include "server/service/evaluator.h"
#include "server/service/verdict_cache.h"
#include "server/x509/certificate_cache.h"

namespace certguard::service {

// One decision, immutable: either freshly evaluated or shared with the verdict cache.
struct Decision {
  std::shared_ptr<const v1::ValidateCertificateResponse> response;
  // The response's wire encoding when it came from the cache (made once, at insert); null for
  // a fresh evaluation, which the front end encodes itself.
  std::shared_ptr<const grpc::Slice> wire;
};

class DecisionEngine {
 public:
  // `store` must outlive the engine. `certificate_cache_entries` bounds the parsed-certificate
  // cache (0 = parse every presented certificate afresh).
  DecisionEngine(const policy::RegistryStore* store, Clock clock, VerdictCacheOptions cache_options,
                 size_t certificate_cache_entries = 0,
                 size_t certificate_cache_bytes = x509::CertificateCache::kDefaultMaxBytes);

  // Same contract as EvaluateInRegistry (UNAVAILABLE / INVALID_ARGUMENT / NOT_FOUND), plus the
  // verdict cache: path exclusions, plain-HTTP refusals and absent certificates are never
  // cached; a cached verdict is returned with from_cache = true.
  absl::StatusOr<Decision> Decide(absl::string_view policy_id, const EvaluationInput& input);
  // The same for a front end's call: DEADLINE_EXCEEDED (before any work) when `call.deadline`
  // or the max call duration has passed, and again when the decision finished too late; the
  // observer (if any) sees every call. With `deferred` given, a decision that may wait on the
  // network (the policy checks OCSP and no verdict is cached) is not made on this thread:
  // *deferred is set, an empty Decision returned and nothing observed, and the caller decides
  // the call again (without `deferred`) where blocking is fine (BlockingPool).
  absl::StatusOr<Decision> Decide(absl::string_view policy_id, const EvaluationInput& input,
                                  const CallInfo& call, bool* deferred = nullptr);
  // Copying form of the first (tests, tools): `response` receives the decision.
  absl::Status Decide(absl::string_view policy_id, const EvaluationInput& input,
                      v1::ValidateCertificateResponse* response);

  // Set before serving; not synchronised with Decide. `observer` must outlive the engine.
  void set_observer(DecisionObserver* observer) { observer_ = observer; }
  // Longest time one call may take on the server, whatever the client's deadline; infinite = none.
  void set_max_call_duration(absl::Duration d) { max_call_duration_ = d; }

  VerdictCache& cache() { return cache_; }
  const x509::CertificateCache& certificate_cache() const { return certificates_; }
  const policy::RegistryStore& store() const { return *store_; }
  absl::Time Now() const { return clock_(); }

 private:
  absl::StatusOr<Decision> DecideOnce(absl::string_view policy_id, const EvaluationInput& input, bool* deferred);

  const policy::RegistryStore* store_;
  Clock clock_;
  VerdictCache cache_;
  x509::CertificateCache certificates_;
  DecisionObserver* observer_ = nullptr;
  absl::Duration max_call_duration_ = absl::InfiniteDuration();
};

// The verdict cache key of one request: registry revision, policy id, and, standing in for the
// presented chain, every header's lower-cased name, format and value and the stated scheme,
// all length-prefixed (the same header bytes always decode to the same chain). The bytes
// themselves, not a hash of them: the cache compares keys in full, so no crafted collision can
// ever be served another certificate's verdict.
std::string VerdictKey(absl::string_view revision, absl::string_view policy_id, const EvaluationInput& input);
// The same, written over `key` (whose capacity is reused).
void WriteVerdictKey(absl::string_view revision, absl::string_view policy_id, const EvaluationInput& input,
                      std::string* key);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_
