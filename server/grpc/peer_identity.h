// Who is calling, as the transport proves it: on a TLS listener that verified a client
// certificate (mTLS), that certificate's SPIFFE ID, subject DN and SHA-256; otherwise nothing
// (plaintext TCP, Unix sockets). Unlike a request's `caller` field, nothing here is the caller's
// own claim.
#ifndef CERTGUARD_SERVER_GRPC_PEER_IDENTITY_H_
#define CERTGUARD_SERVER_GRPC_PEER_IDENTITY_H_

#include <string>

#include <grpcpp/grpcpp.h>

namespace certguard::rpc {

struct PeerIdentity {
  bool has_certificate = false;
  std::string spiffe_id;   // the certificate's spiffe:// URI SAN (the first), or empty
  std::string subject_dn;  // RFC 2253
  std::string sha256_hex;  // upper-case hex of SHA-256(DER)

  // For logs: the SPIFFE ID, else "dn:<subject>", else "sha256:<hex>"; "" without a certificate.
  std::string ToString() const;
};

// The identity of the peer of `context`'s call.
PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& context);

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_PEER_IDENTITY_H_
