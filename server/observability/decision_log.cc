#include "server/observability/decision_log.h"

#include <cerrno>
#include <cstring>
#include <random>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/observability/metrics.h"

namespace certguard::observability {
namespace {

std::string Cut(absl::string_view v, size_t max) {
  if (v.size() <= max) return std::string(v);
  return absl::StrCat(v.substr(0, max), "...");
}

double UniformDraw() {
  thread_local std::minstd_rand generator(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

std::string FormatDecisionLine(const core::DecisionEvent& event, absl::Time at) {
  const DecisionLabels labels = LabelsFor(event);
  nlohmann::ordered_json line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", at, absl::UTCTimeZone());
  line["policy"] = Cut(labels.policy.empty() ? event.requested_policy : labels.policy, kMaxFieldBytes);
  line["decision"] = std::string(labels.decision);
  line["reason"] = std::string(labels.reason);
  const v1::ValidateCertificateResponse* r = event.response;
  const bool has_identity = r != nullptr && r->has_identity();
  line["subject"] = has_identity ? Cut(r->identity().subject(), kMaxSubjectBytes) : "";
  line["sha256"] = has_identity ? Cut(r->identity().sha256_thumbprint(), kMaxFieldBytes) : "";
  line["revision"] = r != nullptr ? Cut(r->revision(), kMaxFieldBytes) : "";
  line["latency_us"] = absl::ToInt64Microseconds(event.latency);
  line["caller"] = event.call != nullptr ? Cut(event.call->caller, kMaxFieldBytes) : "";
  line["peer_identity"] = event.call != nullptr ? Cut(event.call->peer_identity, kMaxFieldBytes) : "";
  line["frontend"] = std::string(labels.frontend);
  line["https"] = !event.is_https.has_value() ? "unstated" : *event.is_https ? "yes" : "no";
  line["from_cache"] = r != nullptr && r->from_cache();
  if (event.status != nullptr && !event.status->ok()) {
    line["error"] = Cut(event.status->message(), kMaxFieldBytes);
  }
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool ShouldLog(const core::DecisionEvent& event, double allow_sample_rate, double draw) {
  const bool allow = event.status != nullptr && event.status->ok() && event.response != nullptr &&
                     event.response->decision() == v1::ALLOW;
  if (!allow) return true;
  return draw < allow_sample_rate;
}

absl::StatusOr<std::unique_ptr<DecisionLog>> DecisionLog::Open(const DecisionLogOptions& options) {
  if (!(options.allow_sample_rate >= 0.0 && options.allow_sample_rate <= 1.0)) {
    return absl::InvalidArgumentError("the sample rate must be between 0 and 1");
  }
  const absl::Duration f = options.flush_interval;
  if (f != absl::ZeroDuration() && (f < absl::Milliseconds(1) || f == absl::InfiniteDuration())) {
    return absl::InvalidArgumentError("the flush interval must be 0 (every line) or a finite duration of at least 1ms");
  }
  const absl::Duration every = options.flush_interval;
  const std::string& d = options.destination;
  if (d == "off" || d.empty()) return std::unique_ptr<DecisionLog>();
  if (d == "stdout")
    return std::unique_ptr<DecisionLog>(new DecisionLog(stdout, false, options.allow_sample_rate, every));
  if (d == "stderr")
    return std::unique_ptr<DecisionLog>(new DecisionLog(stderr, false, options.allow_sample_rate, every));
  std::FILE* file = std::fopen(d.c_str(), "a");
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open ", d, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<DecisionLog>(new DecisionLog(file, true, options.allow_sample_rate, every));
}

DecisionLog::DecisionLog(std::FILE* out, bool owned, double rate, absl::Duration flush_interval)
    : out_(out), owned_(owned), rate_(rate), flush_interval_(flush_interval) {
  if (flush_interval_ > absl::ZeroDuration()) flusher_ = std::thread([this] { FlushLoop(); });
}

DecisionLog::~DecisionLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  std::fflush(out_);
  if (owned_) std::fclose(out_);
}

void DecisionLog::FlushLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!closing_) {
    wake_.wait_for(lock, absl::ToChronoMicroseconds(flush_interval_));
    if (unflushed_) {
      std::fflush(out_);
      unflushed_ = false;
    }
  }
}

void DecisionLog::Record(const core::DecisionEvent& event) {
  if (!ShouldLog(event, rate_, rate_ >= 1.0 ? 0.0 : UniformDraw())) return;
  const std::string line = FormatDecisionLine(event, absl::Now()) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  if (flush_interval_ == absl::ZeroDuration()) {
    std::fflush(out_);
  } else {
    unflushed_ = true;
  }
}

}  // namespace certguard::observability
