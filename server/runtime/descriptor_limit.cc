#include "server/runtime/descriptor_limit.h"

#include <sys/resource.h>

#include "absl/strings/str_cat.h"

namespace certguard::runtime {

absl::StatusOr<size_t> EnsureDescriptorLimit(size_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return absl::InternalError("getrlimit(RLIMIT_NOFILE) failed");
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
      return absl::FailedPreconditionError(absl::StrCat("the file-descriptor limit is ", limit.rlim_max,
                                                        " (hard); --max_connections needs ", needed,
                                                        ": lower --max_connections or raise `ulimit -Hn`"));
    }
    limit.rlim_cur = needed;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return absl::InternalError("setrlimit(RLIMIT_NOFILE) failed");
  }
  return static_cast<size_t>(limit.rlim_cur);
}

}  // namespace certguard::runtime
