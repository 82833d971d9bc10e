// certguard-bench: a load generator for certguard-server.
//
// Closed loop (default): --channels connections, each with --in_flight calls outstanding; a
// call's completion starts the next one. Open loop (--rate=N): calls start on a fixed schedule
// of N per second spread over the channels whatever the server does, and latency is measured
// from each call's scheduled start (so a stalled server is not hidden: no coordinated omission).
// Calls started during --warmup are not measured. Prints requests/s, latency percentiles and
// errors by status code, as text or one JSON object (--json). Exit status: 0 when every
// measured call succeeded with ALLOW/SERVING, 1 when some failed or were denied, 2 on usage errors.
#include <sys/prctl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "client/bench/latency_histogram.h"
#include "client/bench/rpc_driver.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address");
ABSL_FLAG(std::string, rpc, "validate", "validate | extauthz | health");
ABSL_FLAG(int, channels, 2, "Connections (each its own HTTP/2 connection)");
ABSL_FLAG(int, in_flight, 16, "Calls in flight per channel (closed loop)");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "Measured time (ignored with --count)");
ABSL_FLAG(int64_t, count, 0, "Measured calls instead of --duration (0 = use --duration)");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Unmeasured time before measuring");
ABSL_FLAG(double, rate, 0, "Open loop: calls per second (0 = closed loop)");
ABSL_FLAG(int, max_outstanding, 10000, "Open loop: calls outstanding before new ones are dropped");
ABSL_FLAG(std::string, corpus_dir, "", "Directory of header values, one per file (sorted by name)");
ABSL_FLAG(std::string, header_file, "", "One header value, repeated");
ABSL_FLAG(std::string, header_name, "X-ARR-ClientCert", "Header name sent with each value (validate)");
ABSL_FLAG(std::string, policy, "bench", "Policy id (validate: policy_id; extauthz: context_extensions)");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "Deadline of every call");
ABSL_FLAG(bool, json, false, "Print one JSON object instead of text");
ABSL_FLAG(std::string, label, "", "Free text copied into the output");

namespace certguard::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

constexpr std::array<const char*, 17> kCodeNames = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = Trim(ss.str());
  return true;
}

// Shared state of one run.
struct Run {
  RpcDriver* driver = nullptr;
  size_t channels = 1;
  int64_t measure_start_ns = 0;
  int64_t measure_end_ns = 0;  // duration mode; INT64_MAX in count mode
  int64_t count = 0;           // count mode: measured calls to start
  std::atomic<int64_t> measured_started{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> next_index{0};
  std::atomic<int64_t> last_completion_ns{0};

  LatencyHistogram latency;
  std::array<std::atomic<uint64_t>, 17> codes{};
  std::atomic<uint64_t> denied{0};
  std::atomic<uint64_t> dropped{0};

  std::mutex mu;
  std::condition_variable cv;
  int64_t outstanding = 0;  // guarded by mu

  // Whether a call starting (scheduled) at `start_ns` is measured; stops the run when the
  // measured part is over.
  bool Admit(int64_t start_ns, bool* measured) {
    *measured = start_ns >= measure_start_ns;
    if (stop.load(std::memory_order_relaxed)) return false;
    if (start_ns >= measure_end_ns) {
      stop.store(true);
      return false;
    }
    if (*measured && count > 0 && measured_started.fetch_add(1) >= count) {
      stop.store(true);
      return false;
    }
    return true;
  }

  void Issue(size_t channel, int64_t start_ns, bool measured, bool closed_loop) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++outstanding;
    }
    const size_t index = next_index.fetch_add(1, std::memory_order_relaxed);
    driver->Start(channel, index, [this, channel, start_ns, measured, closed_loop](const grpc::Status& s, bool deny) {
      const int64_t end = NowNs();
      if (measured) {
        latency.Record(end - start_ns);
        const int code = static_cast<int>(s.error_code());
        codes[static_cast<size_t>(code >= 0 && code < 17 ? code : 2)].fetch_add(1, std::memory_order_relaxed);
        if (deny) denied.fetch_add(1, std::memory_order_relaxed);
        int64_t prev = last_completion_ns.load(std::memory_order_relaxed);
        while (end > prev && !last_completion_ns.compare_exchange_weak(prev, end)) {
        }
      }
      if (closed_loop) {
        const int64_t next_start = NowNs();
        bool next_measured = false;
        if (Admit(next_start, &next_measured)) Issue(channel, next_start, next_measured, true);
      }
      std::lock_guard<std::mutex> lock(mu);
      if (--outstanding == 0) cv.notify_all();
    });
  }

  void WaitIdle() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return outstanding == 0 && stop.load(); });
  }
};

void RunOpenLoop(Run* run, double rate, int max_outstanding) {
  // Linux rounds sleeps up by the thread's timer slack (50 µs by default), which at tens of
  // thousands of calls per second would make the schedule itself bursty.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  const int64_t t0 = NowNs();
  const double interval_ns = 1e9 / rate;
  for (int64_t k = 0;; ++k) {
    const int64_t scheduled = t0 + static_cast<int64_t>(static_cast<double>(k) * interval_ns);
    int64_t now = NowNs();
    if (scheduled > now) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(scheduled - now));
    }
    bool measured = false;
    if (!run->Admit(scheduled, &measured)) break;
    bool full = false;
    {
      std::lock_guard<std::mutex> lock(run->mu);
      full = run->outstanding >= max_outstanding;
    }
    if (full) {
      if (measured) run->dropped.fetch_add(1);
      continue;
    }
    run->Issue(static_cast<size_t>(k) % run->channels, scheduled, measured, false);
  }
  run->stop.store(true);
  std::lock_guard<std::mutex> lock(run->mu);
  run->cv.notify_all();
}

int Main() {
  DriverOptions options;
  if (!ParseRpc(absl::GetFlag(FLAGS_rpc), &options.rpc)) {
    std::cerr << "--rpc: expected validate, extauthz or health\n";
    return 2;
  }
  options.policy = absl::GetFlag(FLAGS_policy);
  options.header_name = absl::GetFlag(FLAGS_header_name);
  options.timeout = std::chrono::milliseconds(absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_timeout)));

  std::vector<std::string> corpus;
  if (const std::string dir = absl::GetFlag(FLAGS_corpus_dir); !dir.empty()) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      std::string v;
      if (ReadFile(f, &v) && !v.empty()) corpus.push_back(std::move(v));
    }
    if (corpus.empty()) {
      std::cerr << "--corpus_dir " << dir << ": no header values\n";
      return 2;
    }
  } else if (const std::string file = absl::GetFlag(FLAGS_header_file); !file.empty()) {
    std::string v;
    if (!ReadFile(file, &v)) {
      std::cerr << "--header_file " << file << ": cannot read\n";
      return 2;
    }
    corpus.push_back(std::move(v));
  } else if (options.rpc != Rpc::kHealth) {
    std::cerr << "--corpus_dir or --header_file is required for --rpc=" << absl::GetFlag(FLAGS_rpc) << "\n";
    return 2;
  }

  const int channels = std::max(1, absl::GetFlag(FLAGS_channels));
  const int in_flight = std::max(1, absl::GetFlag(FLAGS_in_flight));
  const double rate = absl::GetFlag(FLAGS_rate);
  const std::string target = absl::GetFlag(FLAGS_target);
  std::vector<std::shared_ptr<grpc::Channel>> chans;
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
    args.SetInt("certguard.bench.channel", i);
    auto ch = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
    if (!ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
      std::cerr << "certguard-bench: cannot connect to " << target << "\n";
      return 2;
    }
    chans.push_back(std::move(ch));
  }
  std::unique_ptr<RpcDriver> driver = MakeDriver(options, chans, corpus);

  Run run;
  run.driver = driver.get();
  run.channels = static_cast<size_t>(channels);
  const int64_t t0 = NowNs();
  run.measure_start_ns = t0 + absl::ToInt64Nanoseconds(absl::GetFlag(FLAGS_warmup));
  run.count = absl::GetFlag(FLAGS_count);
  run.measure_end_ns =
      run.count > 0 ? INT64_MAX : run.measure_start_ns + absl::ToInt64Nanoseconds(absl::GetFlag(FLAGS_duration));

  if (rate > 0) {
    RunOpenLoop(&run, rate, std::max(1, absl::GetFlag(FLAGS_max_outstanding)));
  } else {
    for (int c = 0; c < channels; ++c) {
      for (int j = 0; j < in_flight; ++j) {
        const int64_t start = NowNs();
        bool measured = false;
        if (run.Admit(start, &measured)) run.Issue(static_cast<size_t>(c), start, measured, true);
      }
    }
    // Duration mode: the stop is noticed at the next completion; make sure it happens on time
    // even when the server is stalled.
    while (!run.stop.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (NowNs() >= run.measure_end_ns) run.stop.store(true);
    }
  }
  run.WaitIdle();

  const int64_t window_end = run.count > 0 ? run.last_completion_ns.load() : run.measure_end_ns;
  const double seconds = std::max(1e-9, static_cast<double>(window_end - run.measure_start_ns) / 1e9);
  const uint64_t requests = run.latency.count();
  const double rps = static_cast<double>(requests) / seconds;
  const uint64_t ok = run.codes[0].load();
  const uint64_t denied = run.denied.load();
  auto ms = [&](double q) { return static_cast<double>(run.latency.Quantile(q)) / 1e6; };
  const char* mode = rate > 0 ? "open" : "closed";
  const char* rpc_name = options.rpc == Rpc::kValidate   ? "validate"
                         : options.rpc == Rpc::kExtAuthz ? "extauthz"
                                                         : "health";

  std::string errors_text, errors_json;
  uint64_t failed = 0;
  for (size_t i = 1; i < kCodeNames.size(); ++i) {
    const uint64_t n = run.codes[i].load();
    if (n == 0) continue;
    failed += n;
    absl::StrAppend(&errors_text, errors_text.empty() ? "" : " ", kCodeNames[i], "=", n);
    absl::StrAppend(&errors_json, errors_json.empty() ? "" : ",", "\"", kCodeNames[i], "\":", n);
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << absl::StrFormat(
        "{\"label\":\"%s\",\"rpc\":\"%s\",\"target\":\"%s\",\"mode\":\"%s\",\"channels\":%d,\"in_flight\":%d,"
        "\"rate\":%.1f,\"corpus_size\":%d,\"seconds\":%.3f,\"requests\":%d,\"ok\":%d,\"denied\":%d,"
        "\"dropped\":%d,\"rps\":%.1f,\"latency_ms\":{\"p50\":%.4f,\"p90\":%.4f,\"p99\":%.4f,"
        "\"p999\":%.4f,\"max\":%.4f,\"mean\":%.4f},\"errors\":{%s}}\n",
        absl::GetFlag(FLAGS_label), rpc_name, target, mode, channels, in_flight, rate, corpus.size(), seconds, requests,
        ok, denied, run.dropped.load(), rps, ms(0.50), ms(0.90), ms(0.99), ms(0.999),
        static_cast<double>(run.latency.max()) / 1e6, run.latency.mean() / 1e6, errors_json);
  } else {
    std::cout << absl::StrFormat(
        "certguard-bench: rpc=%s target=%s %s loop, %d channels x %d in flight%s, %d corpus values\n"
        "requests: %d in %.2f s = %.1f req/s (ok %d, denied %d, dropped %d)\n"
        "latency:  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms\n"
        "errors:   %s\n",
        rpc_name, target, mode, channels, in_flight, rate > 0 ? absl::StrFormat(", %.0f/s", rate) : "", corpus.size(),
        requests, seconds, rps, ok, denied, run.dropped.load(), ms(0.50), ms(0.90), ms(0.99), ms(0.999),
        static_cast<double>(run.latency.max()) / 1e6, errors_text.empty() ? "none" : errors_text);
  }
  return (failed > 0 || denied > 0 || run.dropped.load() > 0) ? 1 : 0;
}

}  // namespace
}  // namespace certguard::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "certguard-bench --target HOST:PORT --rpc validate|extauthz|health "
      "(--corpus_dir DIR | --header_file F) [--channels 2] [--in_flight 16] "
      "[--duration 5s | --count N] [--rate N] [--json]");
  absl::ParseCommandLine(argc, argv);
  return certguard::bench::Main();
}
