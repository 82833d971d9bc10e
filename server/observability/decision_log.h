// Decision logs: one JSON object per line per decision, for audit and debugging.
//
//   {"ts":"2025-01-02T03:04:05.678Z","policy":"seed","decision":"ALLOW","reason":"OK",
//    "subject":"CN=app,O=Contoso","sha256":"AB12…","revision":"0f3c…","latency_us":412,
//    "caller":"orders-api","frontend":"validator","from_cache":false}
//
// An RPC-level failure logs decision "ERROR", reason = the status code name, and "error" (the
// status message). Never logged: header values, certificates, keys. Every string is cut to
// kMaxFieldBytes (subject: kMaxSubjectBytes) and invalid UTF-8 is replaced, so one line stays
// below ~2 KiB whatever the input. ALLOW decisions are sampled at allow_sample_rate; DENY and
// ERROR are always written. Thread-safe: lines are written whole under a mutex and flushed.
#ifndef CERTGUARD_SERVER_OBSERVABILITY_DECISION_LOG_H_
#define CERTGUARD_SERVER_OBSERVABILITY_DECISION_LOG_H_

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/service/decision_observer.h"

namespace certguard::observability {

inline constexpr size_t kMaxFieldBytes = 256;
inline constexpr size_t kMaxSubjectBytes = 512;

struct DecisionLogOptions {
  std::string destination = "stdout";  // "stdout", "stderr", "off", or a file path (appended)
  double allow_sample_rate = 1.0;      // 0..1: share of ALLOW decisions written
};

// The line (without the newline) for `event` decided at `at`.
std::string FormatDecisionLine(const service::DecisionEvent& event, absl::Time at);

// Whether a decision is written: DENY/ERROR always; ALLOW when `draw` (uniform in [0,1)) < rate.
bool ShouldLog(const service::DecisionEvent& event, double allow_sample_rate, double draw);

class DecisionLog {
 public:
  // Opens the destination; null for "off". INVALID_ARGUMENT for a rate outside 0..1, the
  // open error for a file that cannot be opened for appending.
  static absl::StatusOr<std::unique_ptr<DecisionLog>> Open(const DecisionLogOptions& options);
  ~DecisionLog();

  // Formats and writes `event` when sampled.
  void Record(const service::DecisionEvent& event);

 private:
  DecisionLog(std::FILE* out, bool owned, double rate) : out_(out), owned_(owned), rate_(rate) {}
  std::FILE* out_;
  bool owned_;
  double rate_;
  std::mutex mu_;
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_DECISION_LOG_H_
