#include "server/service/request_conversion.h"

namespace certguard::service {

EvaluationInput ToEvaluationInput(const v1::ValidateCertificateRequest& request) {
  EvaluationInput input;
  input.headers.reserve(1 + request.headers_size());
  if (!request.header_value().empty() || !request.header_name().empty()) {
    input.headers.push_back({request.header_name(), request.header_value(),
                             static_cast<headers::Format>(request.format())});
  }
  for (const v1::ForwardedHeader& h : request.headers()) {
    input.headers.push_back({h.name(), h.value(), static_cast<headers::Format>(h.format())});
  }
  input.path = request.path();
  if (request.has_is_https()) input.is_https = request.is_https();
  return input;
}

}  // namespace certguard::service
