#include "server/grpc/admin_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/common/log.h"
#include "server/core/evaluator.h"
#include "server/grpc/peer_identity.h"
#include "server/grpc/status.h"

namespace certguard::rpc {
namespace {

// `text` with every "<policy_dir>/" removed: file names as the operator wrote them, without
// disclosing where the server's files live.
std::string RelativeToPolicyDir(absl::string_view text, absl::string_view policy_dir) {
  while (!policy_dir.empty() && policy_dir.back() == '/') policy_dir.remove_suffix(1);
  if (policy_dir.empty()) return std::string(text);
  return absl::StrReplaceAll(text, {{absl::StrCat(policy_dir, "/"), ""}});
}

}  // namespace

std::optional<grpc::Status> AdminService::Refusal(const grpc::CallbackServerContext& context,
                                                  absl::string_view rpc) const {
  if (allow_.empty()) return std::nullopt;
  const policy::PeerIdentity peer = PeerIdentityOf(context);
  if (allow_.Allows(peer)) return std::nullopt;
  if (!peer.has_certificate) {
    log::Warning("admin call refused: no client certificate", {{"rpc", std::string(rpc)}, {"peer", context.peer()}});
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "the admin API needs a client certificate listed in --admin_allow");
  }
  log::Warning("admin call refused: identity not allowed", {{"rpc", std::string(rpc)},
                                                            {"peer", context.peer()},
                                                            {"peer_identity", peer.ToString()},
                                                            {"sha256", peer.sha256_hex}});
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      absl::StrCat("the client certificate (", peer.ToString(), ") is not listed in --admin_allow"));
}

grpc::ServerUnaryReactor* AdminService::ListPolicies(grpc::CallbackServerContext* context,
                                                     const v1::ListPoliciesRequest*,
                                                     v1::ListPoliciesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (std::optional<grpc::Status> refused = Refusal(*context, "ListPolicies")) {
    reactor->Finish(*refused);
    return reactor;
  }
  policy::RegistryPtr registry = store_->Current();
  if (registry == nullptr) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the policy registry is not loaded yet"));
    return reactor;
  }
  response->set_revision(registry->revision());
  for (const auto& p : registry->policies()) {
    v1::PolicySummary* s = response->add_policies();
    s->set_id(p->id);
    s->set_revision(p->revision);
    s->set_summary(p->summary);
    s->set_source_file(RelativeToPolicyDir(p->source_file, reloader_->policy_dir()));
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::GetPolicy(grpc::CallbackServerContext* context,
                                                  const v1::GetPolicyRequest* request,
                                                  v1::GetPolicyResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (std::optional<grpc::Status> refused = Refusal(*context, "GetPolicy")) {
    reactor->Finish(*refused);
    return reactor;
  }
  policy::RegistryPtr registry = store_->Current();
  absl::StatusOr<const policy::CompiledPolicy*> policy = core::LookupPolicy(registry.get(), request->policy_id());
  if (!policy.ok()) {
    reactor->Finish(ToGrpcStatus(policy.status()));
    return reactor;
  }
  response->set_revision((*policy)->revision);
  *response->mutable_policy() = (*policy)->Effective();
  response->set_source_file(RelativeToPolicyDir((*policy)->source_file, reloader_->policy_dir()));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::Reload(grpc::CallbackServerContext* context, const v1::ReloadRequest*,
                                               v1::ReloadResponse* response) {
  // Answered from the reloader's thread: a reload never holds one of gRPC's callback threads.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (std::optional<grpc::Status> refused = Refusal(*context, "Reload")) {
    reactor->Finish(*refused);
    return reactor;
  }
  reloader_->RequestReload("admin", [this, reactor, response](const core::RegistryReloader::Outcome& outcome) {
    response->set_ok(outcome.ok);
    response->set_revision(outcome.revision);
    for (const std::string& e : outcome.errors) response->add_errors(RelativeToPolicyDir(e, reloader_->policy_dir()));
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::GetRegistryStatus(grpc::CallbackServerContext* context,
                                                          const v1::GetRegistryStatusRequest*,
                                                          v1::RegistryStatus* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (std::optional<grpc::Status> refused = Refusal(*context, "GetRegistryStatus")) {
    reactor->Finish(*refused);
    return reactor;
  }
  *response = reloader_->Status();
  response->set_last_error(RelativeToPolicyDir(response->last_error(), reloader_->policy_dir()));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace certguard::rpc
