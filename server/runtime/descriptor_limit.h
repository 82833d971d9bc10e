// The process's file-descriptor budget (RLIMIT_NOFILE). Each admitted connection holds one
// descriptor; the policy watcher, the metrics endpoint, OCSP fetches and reloads need a few more.
// Raising the soft limit up to the hard one keeps --max_connections from ever starving them.
#ifndef CERTGUARD_SERVER_RUNTIME_DESCRIPTOR_LIMIT_H_
#define CERTGUARD_SERVER_RUNTIME_DESCRIPTOR_LIMIT_H_

#include <cstddef>

#include "absl/status/statusor.h"

namespace certguard::runtime {

// Descriptors kept free beside the connections (listeners, watcher, metrics, OCSP, logs).
inline constexpr size_t kReservedDescriptors = 256;

// Raises the soft RLIMIT_NOFILE to at least `needed` when the hard limit allows; returns the
// soft limit now in force. FAILED_PRECONDITION, naming both numbers, when the hard limit is lower.
absl::StatusOr<size_t> EnsureDescriptorLimit(size_t needed);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_DESCRIPTOR_LIMIT_H_
