// Decision logs: one JSON object per line per decision, for audit and debugging.
//
//   {"ts":"2025-01-02T03:04:05.678Z","policy":"seed","decision":"ALLOW","reason":"OK",
//    "subject":"CN=app,O=Contoso","sha256":"AB12…","revision":"0f3c…","latency_us":412,
//    "caller":"orders-api","peer_identity":"spiffe://example.org/ns/orders/sa/api",
//    "frontend":"validator","https":"yes","from_cache":false}
//
// "caller" is what the request says (its caller field, else the connection's address);
// "peer_identity" is who the transport proved is calling (the connection's verified client
// certificate), empty without mTLS.
//
// "https" is what the request stated: "yes", "no" (is_https false, or an ext_authz scheme other
// than https), or "unstated" (is_https absent: taken as HTTPS).
//
// An RPC-level failure logs decision "ERROR", reason = the status code name, and "error" (the
// status message). Never logged: header values, certificates, keys. Every string is cut to
// kMaxFieldBytes (subject: kMaxSubjectBytes) and invalid UTF-8 is replaced, so one line stays
// below ~2 KiB whatever the input. ALLOW decisions are sampled at allow_sample_rate; DENY and
// ERROR are always written. Thread-safe: lines are written whole under a mutex. A line reaches
// the destination when the stream's buffer fills, at the latest flush_interval after it was
// written (a background thread flushes), and when the log is closed; a flush_interval of zero
// flushes every line (one write system call per decision).
#ifndef CERTGUARD_SERVER_OBSERVABILITY_DECISION_LOG_H_
#define CERTGUARD_SERVER_OBSERVABILITY_DECISION_LOG_H_

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/decision_observer.h"

namespace certguard::observability {

inline constexpr size_t kMaxFieldBytes = 256;
inline constexpr size_t kMaxSubjectBytes = 512;

struct DecisionLogOptions {
  std::string destination = "stdout";                // "stdout", "stderr", "off", or a file path (appended)
  double allow_sample_rate = 1.0;                    // 0..1: share of ALLOW decisions written
  absl::Duration flush_interval = absl::Seconds(1);  // longest wait in the buffer; zero = every line
};

// The line (without the newline) for `event` decided at `at`.
std::string FormatDecisionLine(const core::DecisionEvent& event, absl::Time at);

// Whether a decision is written: DENY/ERROR always; ALLOW when `draw` (uniform in [0,1)) < rate.
bool ShouldLog(const core::DecisionEvent& event, double allow_sample_rate, double draw);

class DecisionLog {
 public:
  // Opens the destination; null for "off". INVALID_ARGUMENT for a rate outside 0..1, the
  // open error for a file that cannot be opened for appending.
  // INVALID_ARGUMENT, too, for a flush interval that is neither zero nor between 1ms and infinity.
  static absl::StatusOr<std::unique_ptr<DecisionLog>> Open(const DecisionLogOptions& options);
  // Flushes what is buffered (and closes a file it opened).
  ~DecisionLog();

  // Formats and writes `event` when sampled.
  void Record(const core::DecisionEvent& event);

 private:
  DecisionLog(std::FILE* out, bool owned, double rate, absl::Duration flush_interval);
  void FlushLoop();

  std::FILE* out_;
  bool owned_;
  double rate_;
  absl::Duration flush_interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool unflushed_ = false;  // guarded by mu_
  bool closing_ = false;    // guarded by mu_
  std::thread flusher_;     // runs when flush_interval_ > 0
};

}  // namespace certguard::observability

#endif  // CERTGUARD_SERVER_OBSERVABILITY_DECISION_LOG_H_
