#include "server/core/registry_reloader.h"

#include <future>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/log.h"
#include "server/policy/registry_loader.h"

namespace certguard::core {

RegistryReloader::RegistryReloader(std::string policy_dir, policy::RegistryStore* store, VerdictCache* cache,
                                   Clock clock)
    : policy_dir_(std::move(policy_dir)), store_(store), cache_(cache), clock_(std::move(clock)), thread_([this] {
        Loop();
      }) {}

RegistryReloader::~RegistryReloader() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  thread_.join();
}

void RegistryReloader::RequestReload(std::string trigger, Done done) {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    waiting_.push_back({std::move(trigger), std::move(done)});
  }
  queue_cv_.notify_one();
}

RegistryReloader::Outcome RegistryReloader::Reload(absl::string_view trigger) {
  std::promise<Outcome> answered;
  std::future<Outcome> outcome = answered.get_future();
  RequestReload(std::string(trigger), [&answered](const Outcome& o) { answered.set_value(o); });
  return outcome.get();
}

void RegistryReloader::Loop() {
  std::unique_lock<std::mutex> lock(queue_mu_);
  while (true) {
    queue_cv_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, nobody waiting
    std::vector<Request> batch;
    batch.swap(waiting_);
    lock.unlock();
    std::string trigger = batch.front().trigger;
    if (batch.size() > 1) absl::StrAppend(&trigger, " (+", batch.size() - 1, " joined)");
    const Outcome outcome = LoadAndPublish(trigger);
    for (Request& r : batch) r.done(outcome);
    lock.lock();
  }
}

RegistryReloader::Outcome RegistryReloader::LoadAndPublish(absl::string_view trigger) {
  Outcome outcome;
  policy::LoadResult loaded = policy::LoadRegistry(policy_dir_, clock_());
  policy::RegistryPtr current = store_->Current();
  if (!loaded.ok()) {
    failures_.fetch_add(1);
    for (const auto& e : loaded.errors) outcome.errors.push_back(e.ToString());
    {
      std::lock_guard<std::mutex> status_lock(status_mu_);
      last_error_ = absl::StrJoin(outcome.errors, "\n");
      last_error_at_ = clock_();
    }
    outcome.revision = current ? current->revision() : "";
    log::Error(current ? "registry reload failed; the previous registry keeps serving" : "registry load failed",
               {{"trigger", std::string(trigger)},
                {"policy_dir", policy_dir_},
                {"revision", outcome.revision},
                {"errors", last_error_}});
    return outcome;
  }
  outcome.ok = true;
  outcome.revision = loaded.registry->revision();
  outcome.changed = current == nullptr || current->revision() != outcome.revision;
  successes_.fetch_add(1);
  if (outcome.changed) {
    store_->Publish(loaded.registry);
    if (cache_ != nullptr) cache_->Clear();
    log::Info("registry loaded", {{"trigger", std::string(trigger)},
                                  {"revision", outcome.revision},
                                  {"policies", std::to_string(loaded.registry->policies().size())}});
  } else {
    log::Debug("registry unchanged", {{"trigger", std::string(trigger)}, {"revision", outcome.revision}});
  }
  return outcome;
}

v1::RegistryStatus RegistryReloader::Status() const {
  v1::RegistryStatus status;
  status.set_policy_dir(policy_dir_);
  if (policy::RegistryPtr r = store_->Current()) {
    status.set_revision(r->revision());
    status.set_policy_count(static_cast<int32_t>(r->policies().size()));
    status.mutable_loaded_at()->set_seconds(absl::ToUnixSeconds(r->loaded_at()));
  }
  status.set_reload_successes(successes_.load());
  status.set_reload_failures(failures_.load());
  std::lock_guard<std::mutex> lock(status_mu_);
  status.set_last_error(last_error_);
  if (last_error_at_ != absl::InfinitePast()) {
    status.mutable_last_error_at()->set_seconds(absl::ToUnixSeconds(last_error_at_));
  }
  return status;
}

}  // namespace certguard::core
