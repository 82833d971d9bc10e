// The entry point both front ends (CertificateValidator and Envoy ext_authz) call: takes the
// current registry snapshot, consults the verdict cache, and runs the evaluator on a miss.
// Thread-safe.
#ifndef CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_
#define CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/policy/registry_store.h"
#include "server/service/clock.h"
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

  VerdictCache& cache() { return cache_; }
  const policy::RegistryStore& store() const { return *store_; }
  absl::Time Now() const { return clock_(); }

 private:
  const policy::RegistryStore* store_;
  Clock clock_;
  VerdictCache cache_;
};

// SHA-256 (hex) over every header's lower-cased name, format and value: the cache's stand-in
// for the presented chain (the same header bytes always decode to the same chain).
std::string HeaderDigest(const EvaluationInput& input);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_DECISION_ENGINE_H_
