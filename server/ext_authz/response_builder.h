// Builds Envoy CheckResponses from certguard decisions. Pure; thread-safe.
//
//   ALLOW  status.code = 0 (OK); ok_response.headers set the identity headers (append = false, so
//          a client-sent copy is overwritten); ok_response.headers_to_remove lists the
//          certificate headers present in the request (when options.remove_forwarded_headers)
//          and any identity header the client sent that ALLOW does not set.
//   DENY   status.code = UNAUTHENTICATED (16) when no certificate was presented
//          (CERTIFICATE_MISSING), PERMISSION_DENIED (7) otherwise; denied_response with HTTP 401
//          or 403, `content-type: application/json` and the body
//          {"decision":"DENY","reason":"EXPIRED","message":"...","policy":"..."}.
#ifndef CERTGUARD_SERVER_EXT_AUTHZ_RESPONSE_BUILDER_H_
#define CERTGUARD_SERVER_EXT_AUTHZ_RESPONSE_BUILDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "certguard/v1/validator.pb.h"
#include "envoy/service/auth/v3/external_auth.pb.h"
#include "server/ext_authz/options.h"
#include "server/ext_authz/request_extraction.h"

namespace certguard::ext_authz {

// google.rpc.Code values used in CheckResponse.status.
inline constexpr int kRpcOk = 0;
inline constexpr int kRpcPermissionDenied = 7;
inline constexpr int kRpcUnavailable = 14;
inline constexpr int kRpcUnauthenticated = 16;

// Everything a denied CheckResponse says.
struct Denial {
  int rpc_code = kRpcPermissionDenied;
  int http_status = 403;
  std::string reason;   // a certguard.v1.Reason name, or POLICY_NOT_FOUND / CALLER_NOT_ALLOWED / REGISTRY_UNAVAILABLE
  std::string message;  // one human sentence
  std::string policy;   // the policy id, empty when none
};

// The denial for an evaluator DENY.
Denial DenialForDecision(const v1::ValidateCertificateResponse& decision);
// The denial when the evaluator could not run: `status` from EvaluateInRegistry.
//   NOT_FOUND -> POLICY_NOT_FOUND, 403; PERMISSION_DENIED -> CALLER_NOT_ALLOWED, 403;
//   UNAVAILABLE -> REGISTRY_UNAVAILABLE, 503 (code 14);
//   anything else -> INTERNAL_ERROR, 403.
Denial DenialForStatus(const absl::Status& status, absl::string_view policy_id);
// The denial when the route names no policy and there is no default (POLICY_ID_MISSING, 403).
Denial PolicyMissingDenial(absl::string_view context_key);

// The JSON body of a denied response (always valid UTF-8 JSON; invalid bytes are replaced).
std::string DenialBody(const Denial& denial);

void BuildDenied(const Denial& denial, envoy::service::auth::v3::CheckResponse* response);

// `decision` must be an ALLOW for `request`.
void BuildAllowed(const v1::ValidateCertificateResponse& decision, const ExtractedRequest& request,
                  const ExtAuthzOptions& options, envoy::service::auth::v3::CheckResponse* response);

// A header value Envoy accepts: control characters (CR, LF, NUL, ...) and DEL become '?'.
std::string SafeHeaderValue(absl::string_view value);

}  // namespace certguard::ext_authz

#endif  // CERTGUARD_SERVER_EXT_AUTHZ_RESPONSE_BUILDER_H_
