// Compares core::ParseRequestView with the generated ValidateCertificateRequest parser on the
// same bytes (tests/core/request_view_test.cc and fuzz/request_view_fuzz.cc).
#ifndef CERTGUARD_TESTS_TESTING_REQUEST_VIEW_DIFF_H_
#define CERTGUARD_TESTS_TESTING_REQUEST_VIEW_DIFF_H_

#include <string>

#include "absl/strings/string_view.h"
#include "certguard/v1/validator.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "server/core/request_view.h"

namespace certguard::testing {

// "" when both parsers accept `wire` with equal fields, or both refuse it; else what differs.
inline std::string RequestViewDifference(absl::string_view wire) {
  google::protobuf::LogSilencer quiet;  // the generated parser logs every invalid UTF-8 string
  v1::ValidateCertificateRequest generated;
  const bool generated_ok = generated.ParseFromArray(wire.data(), static_cast<int>(wire.size()));
  core::RequestView view;
  const bool view_ok = core::ParseRequestView(wire, &view);
  if (generated_ok != view_ok) {
    return std::string("generated parser ") + (generated_ok ? "accepts" : "refuses") + ", view " +
           (view_ok ? "accepts" : "refuses");
  }
  if (!view_ok) return "";
  auto same = [](absl::string_view a, const std::string& b) { return a == absl::string_view(b); };
  if (!same(view.policy_id, generated.policy_id())) return "policy_id";
  if (!same(view.header_value, generated.header_value())) return "header_value";
  if (!same(view.header_name, generated.header_name())) return "header_name";
  if (view.format != static_cast<int32_t>(generated.format())) return "format";
  if (!same(view.path, generated.path())) return "path";
  if (view.is_https.has_value() != generated.has_is_https()) return "is_https presence";
  if (view.is_https.has_value() && *view.is_https != generated.is_https()) return "is_https";
  if (!same(view.caller, generated.caller())) return "caller";
  if (view.headers.size() != static_cast<size_t>(generated.headers_size())) return "headers count";
  for (size_t i = 0; i < view.headers.size(); ++i) {
    const v1::ForwardedHeader& h = generated.headers(static_cast<int>(i));
    if (!same(view.headers[i].name, h.name())) return "headers[" + std::to_string(i) + "].name";
    if (!same(view.headers[i].value, h.value())) return "headers[" + std::to_string(i) + "].value";
    if (view.headers[i].format != static_cast<int32_t>(h.format())) return "headers[" + std::to_string(i) + "].format";
  }
  return "";
}

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_REQUEST_VIEW_DIFF_H_
