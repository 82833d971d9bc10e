#include "server/runtime/observability_stack.h"

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/revocation/responder_failures.h"

namespace certguard::runtime {

observability::StateSnapshot SnapshotState(core::DecisionEngine& engine, const core::RegistryReloader& reloader,
                                           const ConnectionCounters* connections) {
  observability::StateSnapshot state;
  state.cache_hits = engine.cache().hits();
  state.cache_misses = engine.cache().misses();
  state.cache_entries = engine.cache().size();
  state.certificate_cache_hits = engine.certificate_cache().hits();
  state.certificate_cache_misses = engine.certificate_cache().misses();
  state.certificate_cache_entries = engine.certificate_cache().size();
  if (policy::RegistryPtr registry = engine.store().Current()) {
    state.registry_loaded = true;
    state.registry_revision = registry->revision();
    state.registry_policies = registry->policies().size();
  }
  state.reload_successes = static_cast<uint64_t>(reloader.successes());
  state.reload_failures = static_cast<uint64_t>(reloader.failures());
  const std::shared_ptr<revocation::ResponderFailures> ocsp = revocation::DefaultResponderFailures();
  state.ocsp_failed_fetches = ocsp->failed_fetches();
  state.ocsp_skipped_fetches = ocsp->skipped_fetches();
  if (connections != nullptr) {
    state.connections_open = connections->open.load(std::memory_order_relaxed);
    state.connections_refused = connections->refused.load(std::memory_order_relaxed);
  }
  return state;
}

absl::StatusOr<std::unique_ptr<ObservabilityStack>> ObservabilityStack::Start(const ObservabilityOptions& options,
                                                                              core::DecisionEngine* engine,
                                                                              const core::RegistryReloader* reloader) {
  std::unique_ptr<ObservabilityStack> stack(new ObservabilityStack());
  auto log = observability::DecisionLog::Open(options.decision_log);
  if (!log.ok()) return absl::InvalidArgumentError(absl::StrCat("decision_log: ", log.status().message()));
  stack->log_ = *std::move(log);
  stack->recorder_ = observability::DecisionRecorder(&stack->metrics_, stack->log_.get());
  if (!options.metrics_listen.empty()) {
    const observability::Metrics* metrics = &stack->metrics_;
    auto http = observability::MetricsHttpServer::Start(
        options.metrics_listen, [metrics, engine, reloader, self = stack.get()] {
          std::shared_ptr<const ConnectionCounters> connections;
          {
            std::lock_guard<std::mutex> lock(self->connections_mu_);
            connections = self->connections_;
          }
          return metrics->Render(SnapshotState(*engine, *reloader, connections.get()));
        });
    if (!http.ok()) return absl::UnavailableError(absl::StrCat("metrics_listen: ", http.status().message()));
    stack->http_ = *std::move(http);
    log::Info("metrics endpoint", {{"address", stack->http_->bound_address()}, {"path", "/metrics"}});
  }
  stack->engine_ = engine;
  engine->set_observer(&stack->recorder_);
  return stack;
}

ObservabilityStack::~ObservabilityStack() {
  if (engine_ != nullptr) engine_->set_observer(nullptr);
  http_.reset();
}

}  // namespace certguard::runtime
