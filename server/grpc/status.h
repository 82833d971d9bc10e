// absl::Status <-> the gRPC status a front end finishes a call with.
#ifndef CERTGUARD_SERVER_GRPC_STATUS_H_
#define CERTGUARD_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace certguard::rpc {

// The same canonical code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_STATUS_H_
