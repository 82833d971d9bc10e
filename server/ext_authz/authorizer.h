// The ext_authz decision for one CheckRequest: extraction -> decision -> response. The same
// decision function that certguard.v1.CertificateValidator uses decides; this only translates.
// Thread-safe.
#ifndef CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZER_H_
#define CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZER_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "envoy/service/auth/v3/external_auth.pb.h"
#include "server/core/evaluator.h"
#include "server/ext_authz/options.h"
#include "server/ext_authz/request_extraction.h"
#include "server/policy/registry.h"

namespace certguard::ext_authz {

// A decision, shared (possibly with the verdict cache), or the RPC-level status.
using SharedDecision = absl::StatusOr<std::shared_ptr<const v1::ValidateCertificateResponse>>;
// How a policy id and input become a decision, synchronously (core::EvaluateInRegistry in tests
// and tools; the server decides between PrepareCheck and CompleteCheck instead).
using DecideFn = std::function<SharedDecision(absl::string_view policy_id, const core::EvaluationInput& input)>;

// The denial of a CheckRequest of `size` bytes over options.max_request_bytes (HEADER_TOO_LARGE),
// given on the wire size before the request is parsed.
void BuildOversizeDenial(size_t size, const ExtAuthzOptions& options,
                         envoy::service::auth::v3::CheckResponse* response);

// A Check in two halves, around a decision that may be made elsewhere (the server's
// DecisionEngine, asynchronously). First: true when `extracted` names a policy to decide; false
// when `response` already holds the answer (oversize request, no policy named).
bool PrepareCheck(const envoy::service::auth::v3::CheckRequest& request, const ExtAuthzOptions& options,
                  ExtractedRequest* extracted, envoy::service::auth::v3::CheckResponse* response);
// Then: the decision for `extracted` (or the RPC-level status that replaced it) -> `response`.
// `decision` is null when `status` is not OK.
void CompleteCheck(const absl::Status& status, const v1::ValidateCertificateResponse* decision,
                   const ExtractedRequest& extracted, const ExtAuthzOptions& options,
                   envoy::service::auth::v3::CheckResponse* response);

// Both halves around `decide`. Fills `response` (always: every failure is a denial). When
// `decision` is not null it receives the evaluator's response (empty when the evaluator did not
// run), for logs and tests.
void Authorize(const DecideFn& decide, const envoy::service::auth::v3::CheckRequest& request,
               const ExtAuthzOptions& options, envoy::service::auth::v3::CheckResponse* response,
               v1::ValidateCertificateResponse* decision = nullptr);

// The same over a fixed registry snapshot and time. `registry` may be null (not loaded yet:
// REGISTRY_UNAVAILABLE).
void Authorize(const policy::Registry* registry, const envoy::service::auth::v3::CheckRequest& request,
               const ExtAuthzOptions& options, absl::Time now, envoy::service::auth::v3::CheckResponse* response,
               v1::ValidateCertificateResponse* decision = nullptr);

}  // namespace certguard::ext_authz

#endif  // CERTGUARD_SERVER_EXT_AUTHZ_AUTHORIZER_H_
