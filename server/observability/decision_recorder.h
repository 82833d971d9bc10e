// The DecisionObserver the server installs on its DecisionEngine: counts every decision in
// Metrics and writes it to the DecisionLog (either may be absent). Thread-safe.
#ifndef CERTGUARD_SERVER_OBSERVABILITY_DECISION_RECORDER_H_
#define CERTGUARD_SERVER_OBSERVABILITY_DECISION_RECORDER_H_

#include "server/core/decision_observer.h"
#include "server/observability/decision_log.h"
#include "server/observability/metrics.h"

namespace certguard::observability {

class DecisionRecorder final : public core::DecisionObserver {
 public:
  // Both may be null; both must outlive the recorder.
  DecisionRecorder(Metrics* metrics, DecisionLog* log) : metrics_(metrics), log_(log) {}
  void OnDecision(const core::DecisionEvent& event) override {
    if (metrics_ != nullptr) metrics_->RecordDecision(event);
    if (log_ != nullptr) log_->Record(event);
  }

 private:
  Metrics* metrics_;
  DecisionLog* log_;
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_DECISION_RECORDER_H_
