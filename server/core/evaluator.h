// core/: deciding one request, with no gRPC anywhere. The evaluator runs the checks in order
// (core/checks/: request, certificate type, chain, revocation; policy/rules/: the policy's rules),
// recording each in the response (core/check_recorder.h); the decision engine
// (core/decision_engine.h) puts the registry snapshot, the verdict cache and the revocation pool
// around it for the front ends.
//
// Evaluate() is pure: given a compiled policy, the request's headers, path and scheme, and a
// validation time, it fills a ValidateCertificateResponse. It never fails: every error on the
// way to a decision becomes a DENY with its reason (fail closed). Thread-safe.
#ifndef CERTGUARD_SERVER_CORE_EVALUATOR_H_
#define CERTGUARD_SERVER_CORE_EVALUATOR_H_

#include <optional>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/headers/decoder.h"
#include "server/policy/compiled_policy.h"
#include "server/policy/registry.h"
#include "server/x509/certificate_cache.h"

namespace certguard::core {

// What a front end extracted from its request.
struct EvaluationInput {
  // Views into the caller's request; room for two without allocating (a leaf and a chain header).
  absl::InlinedVector<headers::HeaderInput, 2> headers;
  absl::string_view path;
  std::optional<bool> is_https;  // nullopt = not stated (taken as HTTPS)
};

// Decides one request under `policy` at time `now`. Presented certificates are parsed through
// `certificates` when given (a parse cache shared by all requests), else parsed afresh.
void Evaluate(const policy::CompiledPolicy& policy, const EvaluationInput& input, absl::Time now,
              v1::ValidateCertificateResponse* response, x509::CertificateCache* certificates = nullptr);

// The policy a request names. RPC-level errors: UNAVAILABLE when registry is null,
// INVALID_ARGUMENT for an empty id, NOT_FOUND when unknown.
absl::StatusOr<const policy::CompiledPolicy*> LookupPolicy(const policy::Registry* registry,
                                                           absl::string_view policy_id);

// Looks up `policy_id` in `registry` and evaluates. RPC-level errors:
//   UNAVAILABLE when registry is null, INVALID_ARGUMENT for an empty id, NOT_FOUND when unknown.
absl::Status EvaluateInRegistry(const policy::Registry* registry, absl::string_view policy_id,
                                const EvaluationInput& input, absl::Time now,
                                v1::ValidateCertificateResponse* response);

// True when `path` is one of the policy's exclusion paths (policy/exclusion_paths.h: segment
// boundaries; paths that a server could read differently never match).
bool IsExcludedPath(const policy::CompiledPolicy& policy, absl::string_view path);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_EVALUATOR_H_
