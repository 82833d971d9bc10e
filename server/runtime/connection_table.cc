#include "server/runtime/connection_table.h"

#include <sys/stat.h>

namespace certguard::runtime {

bool ConnectionTable::Full(const std::string& peer, Admission* why) const {
  if (limits_.max_connections > 0 && entries_.size() >= limits_.max_connections) {
    *why = Admission::kProcessFull;
    return true;
  }
  if (limits_.max_per_peer > 0 && open_from(peer) >= limits_.max_per_peer) {
    *why = Admission::kPeerFull;
    return true;
  }
  return false;
}

ConnectionTable::Admission ConnectionTable::TryAdmit(int fd, const std::string& peer, absl::Time now) {
  Admission why = Admission::kAdmitted;
  if (Full(peer, &why)) {
    if (now - last_sweep_ < min_sweep_interval_) return why;
    last_sweep_ = now;
    Sweep();
    if (Full(peer, &why)) return why;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) return Admission::kProcessFull;  // not a descriptor: never handed on
  entries_.push_back(Entry{fd, st.st_dev, st.st_ino, peer});
  ++per_peer_[peer];
  return Admission::kAdmitted;
}

void ConnectionTable::Sweep() {
  size_t kept = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry& entry = entries_[i];
    struct stat st;
    const bool alive = fstat(entry.fd, &st) == 0 && st.st_dev == entry.dev && st.st_ino == entry.ino;
    if (alive) {
      if (kept != i) entries_[kept] = std::move(entry);
      ++kept;
      continue;
    }
    auto it = per_peer_.find(entry.peer);
    if (it != per_peer_.end() && --it->second == 0) per_peer_.erase(it);
  }
  entries_.resize(kept);
}

size_t ConnectionTable::open_from(const std::string& peer) const {
  auto it = per_peer_.find(peer);
  return it == per_peer_.end() ? 0 : it->second;
}

}  // namespace certguard::runtime
