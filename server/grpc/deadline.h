// The client's deadline of a call, on the wall clock the decision core measures budgets with.
#ifndef CERTGUARD_SERVER_GRPC_DEADLINE_H_
#define CERTGUARD_SERVER_GRPC_DEADLINE_H_

#include <grpcpp/server_context.h>

#include "absl/time/time.h"

namespace certguard::rpc {

// InfiniteFuture when the client set none.
absl::Time ClientDeadline(const grpc::CallbackServerContext& context);

}  // namespace certguard::rpc

#endif  // CERTGUARD_SERVER_GRPC_DEADLINE_H_
