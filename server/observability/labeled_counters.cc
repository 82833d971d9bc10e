#include "server/observability/labeled_counters.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/observability/prometheus_text.h"

namespace certguard::observability {
namespace {

// Label values are joined with a byte that label values built by certguard never contain.
constexpr char kSeparator = '\x1f';

}  // namespace

namespace {

std::atomic<uint64_t> next_family_id{1};

// A thread's last counter of one family (by id): counters are never removed while their family
// lives, so the pointer stays valid for as long as `family` can match.
struct Memo {
  uint64_t family = 0;
  std::string key;
  std::atomic<uint64_t>* counter = nullptr;
};

Memo& MemoFor(uint64_t family) {
  thread_local std::array<Memo, 4> memos;  // families created one after another use distinct slots
  return memos[family % memos.size()];
}

}  // namespace

LabeledCounters::LabeledCounters(std::vector<std::string> label_names)
    : label_names_(std::move(label_names)), id_(next_family_id.fetch_add(1, std::memory_order_relaxed)) {}

namespace {

// The label values joined with kSeparator into a per-thread buffer (no allocation once warm).
template <typename Values>
absl::string_view JoinedKey(const Values& values) {
  thread_local std::string key;
  key.clear();
  bool first = true;
  for (absl::string_view v : values) {
    if (!first) key.push_back(kSeparator);
    key.append(v.data(), v.size());
    first = false;
  }
  return key;
}

}  // namespace

void LabeledCounters::AddKey(absl::string_view key, uint64_t delta) {
  Memo& memo = MemoFor(id_);
  if (memo.family != id_ || memo.key != key) {
    Shard& shard = shards_[absl::HashOf(key) % kShards];
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.counters.find(key);
    if (it == shard.counters.end()) {
      it = shard.counters.emplace(std::string(key), std::make_unique<std::atomic<uint64_t>>(0)).first;
    }
    memo.family = id_;
    memo.key.assign(key.data(), key.size());
    memo.counter = it->second.get();
  }
  memo.counter->fetch_add(delta, std::memory_order_relaxed);
}

void LabeledCounters::Add(std::initializer_list<absl::string_view> values, uint64_t delta) {
  AddKey(JoinedKey(values), delta);
}

void LabeledCounters::Add(const std::vector<absl::string_view>& values, uint64_t delta) {
  AddKey(JoinedKey(values), delta);
}

std::vector<std::pair<std::vector<std::string>, uint64_t>> LabeledCounters::Snapshot() const {
  std::vector<std::pair<std::vector<std::string>, uint64_t>> out;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    for (const auto& [key, counter] : shard.counters) {
      std::vector<std::string> values = absl::StrSplit(key, kSeparator);
      values.resize(label_names_.size());
      out.emplace_back(std::move(values), counter->load(std::memory_order_relaxed));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string LabeledCounters::Render(absl::string_view name, absl::string_view help) const {
  std::string out = Header(name, "counter", help);
  for (const auto& [values, count] : Snapshot()) {
    Labels labels;
    for (size_t i = 0; i < label_names_.size(); ++i) labels.emplace_back(label_names_[i], values[i]);
    absl::StrAppend(&out, name, FormatLabels(labels), " ", count, "\n");
  }
  return out;
}

}  // namespace certguard::observability
