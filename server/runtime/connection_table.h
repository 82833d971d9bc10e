// The open client connections of the gRPC listeners, and the caps on them: at most
// `max_connections` in the process and `max_per_peer` from one peer address (a TCP client's IP;
// Unix-socket clients share one key). Connections are handed to gRPC, which closes them on its
// own; the table sees that lazily: each entry remembers its socket's identity (st_dev, st_ino),
// and an entry whose descriptor no longer names that socket is gone. Sweeps run only when a cap
// is reached (at most once per `min_sweep_interval` of the clock) or when asked. Thread-compatible
// (the acceptor's one thread owns it).
#ifndef CERTGUARD_SERVER_RUNTIME_CONNECTION_TABLE_H_
#define CERTGUARD_SERVER_RUNTIME_CONNECTION_TABLE_H_

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace certguard::runtime {

struct ConnectionLimits {
  size_t max_connections = 1024;  // 0 = no cap
  size_t max_per_peer = 256;      // 0 = no cap
};

class ConnectionTable {
 public:
  enum class Admission { kAdmitted, kProcessFull, kPeerFull };

  explicit ConnectionTable(ConnectionLimits limits, absl::Duration min_sweep_interval = absl::Milliseconds(20))
      : limits_(limits), min_sweep_interval_(min_sweep_interval) {}

  // Records the connected socket `fd` of `peer`, or refuses it (the caller closes it). `now`
  // paces the sweeps.
  Admission TryAdmit(int fd, const std::string& peer, absl::Time now);
  // Drops the entries of connections that have closed.
  void Sweep();
  size_t open() const { return entries_.size(); }
  size_t open_from(const std::string& peer) const;

 private:
  struct Entry {
    int fd;
    dev_t dev;
    ino_t ino;
    std::string peer;
  };
  bool Full(const std::string& peer, Admission* why) const;

  const ConnectionLimits limits_;
  const absl::Duration min_sweep_interval_;
  absl::Time last_sweep_ = absl::InfinitePast();
  std::vector<Entry> entries_;
  absl::flat_hash_map<std::string, size_t> per_peer_;
};

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_CONNECTION_TABLE_H_
