// A ValidateCertificateRequest read in place from its wire bytes: every string field is a view
// into the caller's buffer, so the request path copies no header value and allocates nothing
// for the request (the generated parser copies each string into the message and checks it for
// UTF-8 byte by byte). It accepts exactly what the generated parser accepts and yields the same
// field values (fuzz/request_view_fuzz.cc checks both on arbitrary bytes).
#ifndef CERTGUARD_SERVER_CORE_REQUEST_VIEW_H_
#define CERTGUARD_SERVER_CORE_REQUEST_VIEW_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"

namespace certguard::core {

struct ForwardedHeaderView {
  absl::string_view name;
  absl::string_view value;
  int32_t format = 0;  // certguard.v1.HeaderFormat (open enum: any value)
};

// Field for field the same as v1::ValidateCertificateRequest.
struct RequestView {
  absl::string_view policy_id;
  absl::string_view header_value;
  absl::string_view header_name;
  int32_t format = 0;
  absl::string_view path;
  std::optional<bool> is_https;
  std::vector<ForwardedHeaderView> headers;
  absl::string_view caller;
};

// Reads `wire` into `out` (views into `wire`, which must outlive them). False when the bytes
// are not a valid ValidateCertificateRequest: a malformed tag, length or varint, field number 0,
// a stray end-group, truncation, or a string field that is not UTF-8 (proto3). Unknown fields
// are skipped; a repeated singular field keeps its last value, as in the generated code.
bool ParseRequestView(absl::string_view wire, RequestView* out);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_REQUEST_VIEW_H_
