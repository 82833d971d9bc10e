#include "server/core/request_conversion.h"

namespace certguard::core {

EvaluationInput ToEvaluationInput(const RequestView& request) {
  EvaluationInput input;
  input.headers.reserve(1 + request.headers.size());
  if (!request.header_value.empty() || !request.header_name.empty()) {
    input.headers.push_back({request.header_name, request.header_value, static_cast<headers::Format>(request.format)});
  }
  for (const ForwardedHeaderView& h : request.headers) {
    input.headers.push_back({h.name, h.value, static_cast<headers::Format>(h.format)});
  }
  input.path = absl::string_view(request.path.data(), request.path.size());
  input.is_https = request.is_https;
  return input;
}

EvaluationInput ToEvaluationInput(const v1::ValidateCertificateRequest& request) {
  RequestView view;
  view.header_value = request.header_value();
  view.header_name = request.header_name();
  view.format = request.format();
  view.path = request.path();
  if (request.has_is_https()) view.is_https = request.is_https();
  view.headers.reserve(static_cast<size_t>(request.headers_size()));
  for (const v1::ForwardedHeader& h : request.headers()) view.headers.push_back({h.name(), h.value(), h.format()});
  return ToEvaluationInput(view);
}

}  // namespace certguard::core
