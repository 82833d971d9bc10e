// Who is calling, as the transport proves it: on a TLS listener that verified a client
// certificate (mTLS), that certificate's SPIFFE ID, subject DN and SHA-256; otherwise nothing
// (plaintext TCP, Unix sockets). Unlike a request's `caller` field, nothing here is the caller's
// own claim.
#ifndef CERTGUARD_SERVER_GRPC_PEER_IDENTITY_H_
#define CERTGUARD_SERVER_GRPC_PEER_IDENTITY_H_

#include <string>

#include <grpcpp/grpcpp.h>

#include "server/policy/matchers/identity_allowlist.h"

namespace certguard::rpc {

// The identity of the peer of `context`'s call.
policy::PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& context);

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_PEER_IDENTITY_H_
