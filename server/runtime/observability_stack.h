// Wires observability into a running server: Metrics and the DecisionLog behind a
// DecisionRecorder installed on the DecisionEngine, and the /metrics HTTP endpoint reading
// the cache, registry and reloader at scrape time. Destroy it after the gRPC server has
// stopped (it uninstalls the recorder).
#ifndef CERTGUARD_SERVER_RUNTIME_OBSERVABILITY_STACK_H_
#define CERTGUARD_SERVER_RUNTIME_OBSERVABILITY_STACK_H_

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "server/core/decision_engine.h"
#include "server/core/registry_reloader.h"
#include "server/observability/decision_log.h"
#include "server/observability/decision_recorder.h"
#include "server/observability/metrics.h"
#include "server/observability/metrics_http_server.h"
#include "server/runtime/listeners.h"

namespace certguard::runtime {

struct ObservabilityOptions {
  std::string metrics_listen = "127.0.0.1:9090";  // empty = no metrics endpoint
  observability::DecisionLogOptions decision_log;
};

class ObservabilityStack {
 public:
  // `engine` and `reloader` must outlive the stack.
  static absl::StatusOr<std::unique_ptr<ObservabilityStack>> Start(const ObservabilityOptions& options,
                                                                   core::DecisionEngine* engine,
                                                                   const core::RegistryReloader* reloader);
  ~ObservabilityStack();

  // "host:port" of the metrics endpoint, empty when off.
  std::string metrics_address() const { return http_ ? http_->bound_address() : std::string(); }
  const observability::Metrics& metrics() const { return metrics_; }
  // The listeners' connection figures go into every scrape from now on.
  void WatchConnections(std::shared_ptr<const ConnectionCounters> counters) {
    std::lock_guard<std::mutex> lock(connections_mu_);
    connections_ = std::move(counters);
  }

 private:
  ObservabilityStack() : recorder_(&metrics_, nullptr) {}
  core::DecisionEngine* engine_ = nullptr;
  observability::Metrics metrics_;
  std::unique_ptr<observability::DecisionLog> log_;
  observability::DecisionRecorder recorder_;
  std::mutex connections_mu_;
  std::shared_ptr<const ConnectionCounters> connections_;  // guarded by connections_mu_
  std::unique_ptr<observability::MetricsHttpServer> http_;
};

// The scrape-time state of a running server.
observability::StateSnapshot SnapshotState(core::DecisionEngine& engine, const core::RegistryReloader& reloader,
                                           const ConnectionCounters* connections = nullptr);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_OBSERVABILITY_STACK_H_
