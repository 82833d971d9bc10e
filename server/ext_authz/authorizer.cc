#include "server/ext_authz/authorizer.h"

#include "absl/strings/str_cat.h"
#include "server/ext_authz/request_extraction.h"
#include "server/ext_authz/response_builder.h"
#include "server/service/enum_names.h"
#include "server/service/evaluator.h"

namespace certguard::ext_authz {

void BuildOversizeDenial(size_t size, const ExtAuthzOptions& options,
                         envoy::service::auth::v3::CheckResponse* response) {
  Denial denial;
  denial.reason = service::EnumName(v1::HEADER_TOO_LARGE);
  denial.message =
      absl::StrCat("check request of ", size, " bytes is over the limit of ", options.max_request_bytes, " bytes");
  BuildDenied(denial, response);
}

void Authorize(const DecideFn& decide, const envoy::service::auth::v3::CheckRequest& request,
               const ExtAuthzOptions& options, envoy::service::auth::v3::CheckResponse* response,
               v1::ValidateCertificateResponse* decision) {
  if (const size_t size = request.ByteSizeLong(); size > options.max_request_bytes) {
    BuildOversizeDenial(size, options, response);
    return;
  }
  ExtractedRequest extracted = ExtractRequest(request, options);
  if (extracted.policy_source == PolicySource::kNone) {
    BuildDenied(PolicyMissingDenial(options.policy_context_key), response);
    return;
  }
  SharedDecision decided = decide(extracted.policy_id, extracted.input);
  if (!decided.ok()) {
    BuildDenied(DenialForStatus(decided.status(), extracted.policy_id), response);
    return;
  }
  const v1::ValidateCertificateResponse& result = **decided;
  if (decision != nullptr) decision->CopyFrom(result);
  if (result.decision() == v1::ALLOW) {
    BuildAllowed(result, extracted, options, response);
  } else {
    BuildDenied(DenialForDecision(result), response);
  }
}

void Authorize(const policy::Registry* registry, const envoy::service::auth::v3::CheckRequest& request,
               const ExtAuthzOptions& options, absl::Time now,
               envoy::service::auth::v3::CheckResponse* response,
               v1::ValidateCertificateResponse* decision) {
  Authorize(
      [registry, now](absl::string_view policy_id, const service::EvaluationInput& input) -> SharedDecision {
        auto out = std::make_shared<v1::ValidateCertificateResponse>();
        absl::Status status = service::EvaluateInRegistry(registry, policy_id, input, now, out.get());
        if (!status.ok()) return status;
        return out;
      },
      request, options, response, decision);
}

}  // namespace certguard::ext_authz
