#include "server/grpc/deadline.h"

#include <grpc/support/time.h>

#include "absl/time/clock.h"

namespace certguard::rpc {

absl::Time ClientDeadline(const grpc::CallbackServerContext& context) {
  // gRPC keeps the deadline on its own (monotonic) clock; context.deadline() converts it with two
  // reads of each clock, this with one.
  const gpr_timespec raw = context.raw_deadline();
  if (raw.tv_sec == gpr_inf_future(raw.clock_type).tv_sec) return absl::InfiniteFuture();
  if (raw.clock_type == GPR_CLOCK_REALTIME) return absl::FromUnixSeconds(raw.tv_sec) + absl::Nanoseconds(raw.tv_nsec);
  const gpr_timespec left = gpr_time_sub(raw, gpr_now(raw.clock_type));
  return absl::Now() + absl::Seconds(left.tv_sec) + absl::Nanoseconds(left.tv_nsec);
}

}  // namespace certguard::rpc
