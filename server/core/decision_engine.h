// The entry point both front ends (CertificateValidator and Envoy ext_authz) call: takes the
// current registry snapshot, consults the verdict cache, and runs the evaluator on a miss.
// Thread-safe.
#ifndef CERTGUARD_SERVER_CORE_DECISION_ENGINE_H_
#define CERTGUARD_SERVER_CORE_DECISION_ENGINE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/blocking_pool.h"
#include "server/core/clock.h"
#include "server/core/decision_observer.h"
#include "server/core/evaluator.h"
#include "server/core/verdict_cache.h"
#include "server/policy/registry_store.h"
#include "server/x509/certificate_cache.h"

namespace certguard::core {

// One decision, immutable: either freshly evaluated or shared with the verdict cache.
struct Decision {
  std::shared_ptr<const v1::ValidateCertificateResponse> response;
  // The response's wire encoding when it came from the cache (made once, at insert, and kept
  // alive by this pointer); null for a fresh evaluation, which the front end encodes itself.
  std::shared_ptr<const std::string> wire;
};

// Receives the outcome of one Decide call.
using DecisionCallback = absl::AnyInvocable<void(absl::StatusOr<Decision>)>;

class DecisionEngine {
 public:
  // `store` must outlive the engine. `certificate_cache_entries` bounds the parsed-certificate
  // cache (0 = parse every presented certificate afresh).
  DecisionEngine(const policy::RegistryStore* store, Clock clock, VerdictCacheOptions cache_options,
                 size_t certificate_cache_entries = 0,
                 size_t certificate_cache_bytes = x509::CertificateCache::kDefaultMaxBytes);

  // Decides one call and hands the outcome to `done`, exactly once: on this thread before
  // Decide returns, or, when a revocation pool is set and the decision may wait on the network
  // (the policy checks OCSP and no verdict is cached), on one of the pool's threads.
  // `policy_id`, `input` (with the bytes it views) and `call` must stay valid until `done` has run.
  // Outcomes besides a decision: UNAVAILABLE (no registry yet; the revocation pool's queue is
  // full), INVALID_ARGUMENT (empty policy id), NOT_FOUND (unknown policy), DEADLINE_EXCEEDED
  // (call.deadline or the max call duration passed before any work, or the decision was made
  // too late). The verdict cache serves and stores verdicts; path exclusions, plain-HTTP
  // refusals and absent certificates are never cached. The observer (if any) sees every call
  // once, before `done` runs.
  void Decide(absl::string_view policy_id, const EvaluationInput& input, const CallInfo& call, DecisionCallback done);

  // Set before serving; not synchronised with Decide. `observer` must outlive the engine.
  void set_observer(DecisionObserver* observer) { observer_ = observer; }
  // Longest time one call may take on the server, whatever the client's deadline; infinite = none.
  void set_max_call_duration(absl::Duration d) { max_call_duration_ = d; }
  // Threads for the decisions that may wait on an OCSP responder, so a front end's own threads
  // never block on the network; null = decide them on the caller's thread. Set before serving;
  // `pool` must outlive every call.
  void set_revocation_pool(BlockingPool* pool) { pool_ = pool; }

  VerdictCache& cache() { return cache_; }
  const x509::CertificateCache& certificate_cache() const { return certificates_; }
  const policy::RegistryStore& store() const { return *store_; }
  absl::Time Now() const { return clock_(); }

 private:
  // The decision itself; nullopt (nothing done) when `may_defer` and it may wait on the network.
  // PERMISSION_DENIED, before anything else, for a caller the policy's `callers` do not list.
  std::optional<absl::StatusOr<Decision>> DecideOnce(absl::string_view policy_id, const EvaluationInput& input,
                                                     const CallInfo& call, bool may_defer);
  // Decide's body on the thread that makes the decision.
  void DecideHere(absl::string_view policy_id, const EvaluationInput& input, const CallInfo& call, bool may_defer,
                  DecisionCallback& done);
  // Applies the budget to `decided`, reports the call to the observer, then calls `done`.
  void Finish(absl::string_view policy_id, const EvaluationInput& input, const CallInfo& call,
              std::chrono::steady_clock::time_point started, absl::Duration budget, absl::StatusOr<Decision> decided,
              DecisionCallback& done);

  const policy::RegistryStore* store_;
  Clock clock_;
  VerdictCache cache_;
  x509::CertificateCache certificates_;
  DecisionObserver* observer_ = nullptr;
  BlockingPool* pool_ = nullptr;
  absl::Duration max_call_duration_ = absl::InfiniteDuration();
};

// Decide, waiting for the outcome (tools, tests, benchmarks).
absl::StatusOr<Decision> DecideAndWait(DecisionEngine& engine, absl::string_view policy_id,
                                       const EvaluationInput& input, const CallInfo& call = CallInfo{});

// The verdict cache key of one request: registry revision, policy id, and, standing in for the
// presented chain, every header's lower-cased name, format and value and the stated scheme,
// all length-prefixed (the same header bytes always decode to the same chain). The bytes
// themselves, not a hash of them: the cache compares keys in full, so no crafted collision can
// ever be served another certificate's verdict.
std::string VerdictKey(absl::string_view revision, absl::string_view policy_id, const EvaluationInput& input);
// The same, written over `key` (whose capacity is reused).
void WriteVerdictKey(absl::string_view revision, absl::string_view policy_id, const EvaluationInput& input,
                     std::string* key);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_DECISION_ENGINE_H_
