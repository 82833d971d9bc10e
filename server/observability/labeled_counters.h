// A family of monotonic counters keyed by a fixed list of label values (one Prometheus
// counter metric). Thread-safe: 16 independently locked shards map a label tuple to its
// counter; an increment holds one shard's lock for a hash lookup only, and rendering copies
// one shard at a time, so a scrape never blocks every request. Each thread also remembers the
// counter it last incremented in each family, so a run of equal label tuples (the usual
// traffic) takes neither a lock nor a hash.
#ifndef CERTGUARD_SERVER_OBSERVABILITY_LABELED_COUNTERS_H_
#define CERTGUARD_SERVER_OBSERVABILITY_LABELED_COUNTERS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace certguard::observability {

class LabeledCounters {
 public:
  // `label_names` in the order values are passed to Add.
  explicit LabeledCounters(std::vector<std::string> label_names);

  // Adds `delta` to the counter of `values` (one per label name), creating it at 0. An existing
  // counter is found without allocating.
  void Add(std::initializer_list<absl::string_view> values, uint64_t delta = 1);
  void Add(const std::vector<absl::string_view>& values, uint64_t delta = 1);

  // Every counter as (label values, count), sorted by label values.
  std::vector<std::pair<std::vector<std::string>, uint64_t>> Snapshot() const;
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Text exposition of the family: HELP/TYPE lines, then one sample per counter.
  std::string Render(absl::string_view name, absl::string_view help) const;

 private:
  static constexpr size_t kShards = 16;
  void AddKey(absl::string_view key, uint64_t delta);
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<std::string, std::unique_ptr<std::atomic<uint64_t>>> counters;
  };
  const std::vector<std::string> label_names_;
  // Never reused (a process-wide sequence), so a thread's memo of a destroyed family never
  // matches a later one at the same address.
  const uint64_t id_;
  std::array<Shard, kShards> shards_;
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_LABELED_COUNTERS_H_
