#include "client/cli/admin.h"

#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "absl/time/clock.h"
#include "certguard/v1/validator.grpc.pb.h"

namespace certguard::client {
namespace {

std::string Json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) return "{}\n";
  return out;
}

int Failed(const grpc::Status& status) {
  std::cerr << "certguard: admin call failed: " << status.error_code() << " " << status.error_message() << "\n";
  return 2;
}

std::string Seconds(const google::protobuf::Timestamp& t) {
  return absl::FormatTime(absl::RFC3339_sec, absl::FromUnixSeconds(t.seconds()), absl::UTCTimeZone());
}

}  // namespace

int RunAdmin(const AdminCommand& command, const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::RegistryAdmin::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + command.timeout));
  if (command.verb == "list") {
    v1::ListPoliciesResponse response;
    if (grpc::Status s = stub->ListPolicies(&context, {}, &response); !s.ok()) return Failed(s);
    if (command.json) {
      std::cout << Json(response);
      return 0;
    }
    std::cout << "registry revision " << response.revision() << ", " << response.policies_size() << " policies\n";
    for (const v1::PolicySummary& p : response.policies()) {
      std::cout << p.id() << "\t" << p.revision() << "\t" << p.source_file() << "\t" << p.summary() << "\n";
    }
    return 0;
  }
  if (command.verb == "get") {
    if (command.policy_id.empty()) {
      std::cerr << "certguard: admin get needs --policy\n";
      return 2;
    }
    v1::GetPolicyRequest request;
    request.set_policy_id(command.policy_id);
    v1::GetPolicyResponse response;
    if (grpc::Status s = stub->GetPolicy(&context, request, &response); !s.ok()) return Failed(s);
    if (command.json) {
      std::cout << Json(response);
    } else {
      std::cout << "policy " << command.policy_id << " (revision " << response.revision() << ", from "
                << response.source_file() << "), effective configuration:\n"
                << Json(response.policy());
    }
    return 0;
  }
  if (command.verb == "reload") {
    v1::ReloadResponse response;
    if (grpc::Status s = stub->Reload(&context, {}, &response); !s.ok()) return Failed(s);
    if (command.json) {
      std::cout << Json(response);
    } else if (response.ok()) {
      std::cout << "reloaded: revision " << response.revision() << " serving\n";
    } else {
      std::cout << "reload refused; revision " << response.revision() << " keeps serving:\n";
      for (const std::string& e : response.errors()) std::cout << "  " << e << "\n";
    }
    return response.ok() ? 0 : 1;
  }
  if (command.verb == "status") {
    v1::RegistryStatus response;
    if (grpc::Status s = stub->GetRegistryStatus(&context, {}, &response); !s.ok()) return Failed(s);
    if (command.json) {
      std::cout << Json(response);
      return 0;
    }
    std::cout << "revision:         " << response.revision() << "\n"
              << "loaded at:        " << Seconds(response.loaded_at()) << "\n"
              << "policies:         " << response.policy_count() << "\n"
              << "policy dir:       " << response.policy_dir() << "\n"
              << "reloads:          " << response.reload_successes() << " ok, " << response.reload_failures()
              << " failed\n";
    if (!response.last_error().empty()) {
      std::cout << "last error:       " << Seconds(response.last_error_at()) << "\n" << response.last_error() << "\n";
    }
    return 0;
  }
  std::cerr << "certguard: admin: unknown command '" << command.verb << "' (list, get, reload, status)\n";
  return 2;
}

}  // namespace certguard::client
