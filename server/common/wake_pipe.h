// A pipe one thread polls (read_fd) and another writes to (Wake) to end that thread's poll()
// loop. Closed on destruction. Used by the gRPC accept loop and the metrics endpoint.
#ifndef CERTGUARD_SERVER_COMMON_WAKE_PIPE_H_
#define CERTGUARD_SERVER_COMMON_WAKE_PIPE_H_

#include <fcntl.h>
#include <unistd.h>

#include "absl/status/status.h"

namespace certguard {

class WakePipe {
 public:
  WakePipe() = default;
  WakePipe(const WakePipe&) = delete;
  WakePipe& operator=(const WakePipe&) = delete;
  ~WakePipe() {
    if (fds_[0] >= 0) close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }

  absl::Status Open() {
    if (pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) return absl::InternalError("pipe2 failed");
    return absl::OkStatus();
  }
  int read_fd() const { return fds_[0]; }
  // Makes read_fd readable (for good: it is never drained).
  void Wake() {
    const char byte = 0;
    (void)!write(fds_[1], &byte, 1);
  }

 private:
  int fds_[2] = {-1, -1};
};

}  // namespace certguard

#endif  // CERTGUARD_SERVER_COMMON_WAKE_PIPE_H_
