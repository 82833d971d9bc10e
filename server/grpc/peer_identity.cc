#include "server/grpc/peer_identity.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/x509/certificate.h"

namespace certguard::rpc {

namespace {

// The identity in one certificate PEM.
policy::PeerIdentity IdentityOfPem(absl::string_view pem) {
  policy::PeerIdentity identity;
  auto certificates = x509::Certificate::FromPemBundle(pem);
  if (!certificates.ok() || certificates->empty()) return identity;
  const x509::CertificateInfo& info = certificates->front()->info();
  identity.has_certificate = true;
  identity.subject_dn = info.subject_dn;
  identity.sha256_hex = info.sha256_hex;
  for (const std::string& uri : info.sans.uri) {
    if (absl::StartsWithIgnoreCase(uri, "spiffe://")) {
      identity.spiffe_id = uri;
      break;
    }
  }
  return identity;
}

// Per thread, the identities of the last certificates seen: a connection's calls all carry the
// same certificate, and parsing it costs more than the rest of a cached decision.
constexpr size_t kMemoEntries = 64;

}  // namespace

policy::PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return {};
  // gRPC sets x509_pem_cert only for a client certificate its TLS handshake verified.
  const std::vector<grpc::string_ref> pem = auth->FindPropertyValues("x509_pem_cert");
  if (pem.empty()) return {};
  const absl::string_view text(pem.front().data(), pem.front().size());
  thread_local absl::flat_hash_map<std::string, policy::PeerIdentity> memo;
  if (auto it = memo.find(text); it != memo.end()) return it->second;
  if (memo.size() >= kMemoEntries) memo.clear();
  policy::PeerIdentity identity = IdentityOfPem(text);
  memo.emplace(std::string(text), identity);
  return identity;
}

}  // namespace certguard::rpc
