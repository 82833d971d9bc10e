// The decision core's shared buffers (a cached verdict's encoding) as gRPC message bytes,
// without copying them.
#ifndef CERTGUARD_SERVER_GRPC_SHARED_BYTES_H_
#define CERTGUARD_SERVER_GRPC_SHARED_BYTES_H_

#include <memory>
#include <string>

#include <grpcpp/support/byte_buffer.h>

namespace certguard::rpc {

// Replaces `out` with a one-slice buffer viewing `*bytes`; the slice holds `bytes` alive until
// gRPC has sent it.
void WrapSharedBytes(std::shared_ptr<const std::string> bytes, grpc::ByteBuffer* out);

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_SHARED_BYTES_H_
