#include "server/ext_authz/authorizer.h"

#include "absl/strings/str_cat.h"
#include "server/core/enum_names.h"
#include "server/core/evaluator.h"
#include "server/ext_authz/request_extraction.h"
#include "server/ext_authz/response_builder.h"

namespace certguard::ext_authz {

void BuildOversizeDenial(size_t size, const ExtAuthzOptions& options,
                         envoy::service::auth::v3::CheckResponse* response) {
  Denial denial;
  denial.reason = core::EnumName(v1::HEADER_TOO_LARGE);
  denial.message =
      absl::StrCat("check request of ", size, " bytes is over the limit of ", options.max_request_bytes, " bytes");
  BuildDenied(denial, response);
}

bool PrepareCheck(const envoy::service::auth::v3::CheckRequest& request, const ExtAuthzOptions& options,
                  ExtractedRequest* extracted, envoy::service::auth::v3::CheckResponse* response) {
  if (const size_t size = request.ByteSizeLong(); size > options.max_request_bytes) {
    BuildOversizeDenial(size, options, response);
    return false;
  }
  *extracted = ExtractRequest(request, options);
  if (extracted->policy_source == PolicySource::kNone) {
    BuildDenied(PolicyMissingDenial(options.policy_context_key), response);
    return false;
  }
  return true;
}

void CompleteCheck(const absl::Status& status, const v1::ValidateCertificateResponse* decision,
                   const ExtractedRequest& extracted, const ExtAuthzOptions& options,
                   envoy::service::auth::v3::CheckResponse* response) {
  if (!status.ok() || decision == nullptr) {
    BuildDenied(DenialForStatus(status.ok() ? absl::InternalError("no decision") : status, extracted.policy_id),
                response);
    return;
  }
  if (decision->decision() == v1::ALLOW) {
    BuildAllowed(*decision, extracted, options, response);
  } else {
    BuildDenied(DenialForDecision(*decision), response);
  }
}

void Authorize(const DecideFn& decide, const envoy::service::auth::v3::CheckRequest& request,
               const ExtAuthzOptions& options, envoy::service::auth::v3::CheckResponse* response,
               v1::ValidateCertificateResponse* decision) {
  ExtractedRequest extracted;
  if (!PrepareCheck(request, options, &extracted, response)) return;
  SharedDecision decided = decide(extracted.policy_id, extracted.input);
  if (!decided.ok()) {
    CompleteCheck(decided.status(), nullptr, extracted, options, response);
    return;
  }
  if (decision != nullptr) decision->CopyFrom(**decided);
  CompleteCheck(absl::OkStatus(), decided->get(), extracted, options, response);
}

void Authorize(const policy::Registry* registry, const envoy::service::auth::v3::CheckRequest& request,
               const ExtAuthzOptions& options, absl::Time now, envoy::service::auth::v3::CheckResponse* response,
               v1::ValidateCertificateResponse* decision) {
  Authorize(
      [registry, now](absl::string_view policy_id, const core::EvaluationInput& input) -> SharedDecision {
        auto out = std::make_shared<v1::ValidateCertificateResponse>();
        absl::Status status = core::EvaluateInRegistry(registry, policy_id, input, now, out.get());
        if (!status.ok()) return status;
        return out;
      },
      request, options, response, decision);
}

}  // namespace certguard::ext_authz
