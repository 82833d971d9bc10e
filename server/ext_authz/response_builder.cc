#include "server/ext_authz/response_builder.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "server/common/utf8.h"
#include "server/core/enum_names.h"

namespace certguard::ext_authz {
namespace {

using envoy::config::core::v3::HeaderValueOption;

void SetHeader(absl::string_view name, absl::string_view value,
               google::protobuf::RepeatedPtrField<HeaderValueOption>* headers) {
  HeaderValueOption* option = headers->Add();
  option->mutable_header()->set_key(std::string(name));
  option->mutable_header()->set_value(SafeHeaderValue(value));
  option->mutable_append()->set_value(false);  // replace, never append to a client-sent copy
}

}  // namespace

std::string SafeHeaderValue(absl::string_view value) {
  std::string out(value);
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f) c = '?';
  }
  return out;
}

Denial DenialForDecision(const v1::ValidateCertificateResponse& decision) {
  Denial denial;
  const bool missing = decision.reason() == v1::CERTIFICATE_MISSING;
  denial.rpc_code = missing ? kRpcUnauthenticated : kRpcPermissionDenied;
  denial.http_status = missing ? 401 : 403;
  denial.reason = core::EnumName(decision.reason());
  denial.message = decision.message();
  denial.policy = decision.policy_id();
  return denial;
}

Denial DenialForStatus(const absl::Status& status, absl::string_view policy_id) {
  Denial denial;
  denial.policy = std::string(policy_id);
  denial.message = common::ToValidUtf8(status.message());  // may quote request bytes
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      denial.reason = "POLICY_NOT_FOUND";
      break;
    case absl::StatusCode::kPermissionDenied:  // the policy's `callers` do not list this caller
      denial.reason = "CALLER_NOT_ALLOWED";
      break;
    case absl::StatusCode::kUnavailable:
      denial.reason = "REGISTRY_UNAVAILABLE";
      denial.rpc_code = kRpcUnavailable;
      denial.http_status = 503;
      break;
    default:
      denial.reason = core::EnumName(v1::INTERNAL_ERROR);
      break;
  }
  return denial;
}

Denial PolicyMissingDenial(absl::string_view context_key) {
  Denial denial;
  denial.reason = core::EnumName(v1::POLICY_ID_MISSING);
  denial.message = absl::StrCat("the route names no certguard policy (context_extensions key \"", context_key,
                                "\") and the server has no default policy");
  return denial;
}

std::string DenialBody(const Denial& denial) {
  nlohmann::ordered_json body;
  body["decision"] = "DENY";
  body["reason"] = denial.reason;
  body["message"] = denial.message;
  body["policy"] = denial.policy;
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void BuildDenied(const Denial& denial, envoy::service::auth::v3::CheckResponse* response) {
  response->mutable_status()->set_code(denial.rpc_code);
  response->mutable_status()->set_message(denial.message);
  envoy::service::auth::v3::DeniedHttpResponse* denied = response->mutable_denied_response();
  denied->mutable_status()->set_code(static_cast<envoy::type::v3::StatusCode>(denial.http_status));
  SetHeader("content-type", "application/json", denied->mutable_headers());
  denied->set_body(DenialBody(denial));
}

void BuildAllowed(const v1::ValidateCertificateResponse& decision, const ExtractedRequest& request,
                  const ExtAuthzOptions& options, envoy::service::auth::v3::CheckResponse* response) {
  response->mutable_status()->set_code(kRpcOk);
  envoy::service::auth::v3::OkHttpResponse* ok = response->mutable_ok_response();
  const IdentityHeaderNames& names = options.identity_headers;
  const v1::Identity& identity = decision.identity();
  std::array<const std::string*, 7> set{};  // the names written, at most one per identity field
  size_t set_count = 0;
  auto add = [&](const std::string& name, const std::string& value) {
    if (name.empty() || value.empty()) return;
    SetHeader(name, value, ok->mutable_headers());
    set[set_count++] = &name;
  };
  if (decision.has_identity()) {
    add(names.subject, identity.subject());
    add(names.sha256, identity.sha256_thumbprint());
    add(names.issuer, identity.issuer());
    add(names.spiffe_id, identity.spiffe_id());
  }
  add(names.policy, decision.policy_id());
  add(names.revision, decision.revision());
  add(names.reason, core::EnumName(decision.reason()));

  if (options.remove_forwarded_headers) {
    for (const std::string& name : request.forwarded_headers_present) ok->add_headers_to_remove(name);
  }
  // A client-sent identity header that ALLOW does not overwrite must not reach the app.
  for (const std::string& name : request.identity_headers_present) {
    const bool written =
        std::any_of(set.begin(), set.begin() + set_count, [&name](const std::string* s) { return *s == name; });
    if (!written) ok->add_headers_to_remove(name);
  }
}

}  // namespace certguard::ext_authz
