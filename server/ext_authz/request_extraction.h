// Turns an Envoy CheckRequest into the evaluator's input: which policy, which certificate
// headers, the path and the scheme. Pure; thread-safe.
//
// Where things come from:
//   policy id    attributes.context_extensions[options.policy_context_key], else
//                options.default_policy, else none (the caller denies with POLICY_ID_MISSING)
//   certificate  the first of options.cert_sources with a non-blank value:
//                  peer    -> attributes.source.certificate, format URL_ENCODED_PEM, evaluated
//                             under the name options.peer_certificate_name
//                  header  -> attributes.request.http.headers[name] (Envoy lower-cases keys),
//                             or header_map when Envoy sends raw headers (repeats joined with
//                             ','); client-cert brings client-cert-chain along
//                none found -> no headers (the policy decides: CERTIFICATE_MISSING or absent-allowed)
//   path         attributes.request.http.path (with the query; the evaluator ignores it)
//   HTTPS        attributes.request.http.scheme: "https" (any case) -> true; anything else,
//                empty included -> false (Envoy always states the scheme)
#ifndef CERTGUARD_SERVER_EXT_AUTHZ_REQUEST_EXTRACTION_H_
#define CERTGUARD_SERVER_EXT_AUTHZ_REQUEST_EXTRACTION_H_

#include <list>
#include <string>
#include <vector>

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "server/core/evaluator.h"
#include "server/ext_authz/options.h"

namespace certguard::ext_authz {

enum class PolicySource { kNone, kContextExtension, kDefault };

// Everything the front end needs from one CheckRequest. Holds views into the request, the
// options and its own storage: the request and the options must outlive it. Movable, not copyable.
struct ExtractedRequest {
  ExtractedRequest() = default;
  ExtractedRequest(ExtractedRequest&&) = default;
  ExtractedRequest& operator=(ExtractedRequest&&) = default;
  ExtractedRequest(const ExtractedRequest&) = delete;
  ExtractedRequest& operator=(const ExtractedRequest&) = delete;

  std::string policy_id;  // empty when policy_source == kNone
  PolicySource policy_source = PolicySource::kNone;
  core::EvaluationInput input;
  // "peer" or the header name the certificate came from; empty when none carried one.
  std::string certificate_source;
  // Configured certificate headers present in the request (lower-case), used or not.
  std::vector<std::string> forwarded_headers_present;
  // Identity header names (options.identity_headers) the client itself sent (lower-case).
  std::vector<std::string> identity_headers_present;

  std::list<std::string> storage;  // joined header_map values; stable addresses
};

ExtractedRequest ExtractRequest(const envoy::service::auth::v3::CheckRequest& request, const ExtAuthzOptions& options);

}  // namespace certguard::ext_authz

#endif  // CERTGUARD_SERVER_EXT_AUTHZ_REQUEST_EXTRACTION_H_
