// certguard-server: the only place with flags. Flags -> options -> run.
//
// Flags may also come from a YAML file (--config FILE): keys are flag names, flags given on the
// command line override the file, unknown keys are an error.
//
// Modes:
//   (default)          serve: listen (health NOT_SERVING), load --policy_dir, SERVING; reload
//                      on SIGHUP; on SIGTERM/SIGINT NOT_SERVING, drain, exit 0.
//   --check_policies   validate --policy_dir offline; print every error; exit 0 or 1.
//   --policy=ID        offline evaluation of one header value / file / certificate, printed as
//                      the RPC would answer it (text or --output=json); exit 0 allow, 1 deny, 2 error.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/output/response_printer.h"
#include "server/ext_authz/options.h"
#include "server/common/log.h"
#include "server/policy/registry_loader.h"
#include "server/policy/directory_watcher.h"
#include "server/policy/registry_store.h"
#include "server/service/evaluator.h"
#include "server/service/request_conversion.h"
#include "server/runtime/config_file.h"
#include "server/runtime/descriptor_limit.h"
#include "server/runtime/observability_stack.h"
#include "server/runtime/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Comma-separated listen addresses: host:port (port 0 picks a free port) or unix:/path");
ABSL_FLAG(std::string, config, "",
          "YAML file of flag values (keys = flag names, e.g. 'listen: [0.0.0.0:50051, unix:/run/certguard.sock]'); "
          "flags on the command line override it; unknown keys are an error");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM server certificate (chain) for TCP listeners; empty = plaintext");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: TCP callers must present a certificate issued by it (mutual TLS)");
ABSL_FLAG(std::string, unix_socket_mode, "0660", "Octal file mode of unix:/path listener sockets");
ABSL_FLAG(absl::Duration, max_call_duration, absl::Seconds(5),
          "Longest time the server works on one call, whatever the client's deadline; later answers "
          "are DEADLINE_EXCEEDED; 'inf' = no limit");
ABSL_FLAG(int32_t, revocation_threads, 8,
          "Threads for decisions that may wait on an OCSP responder (a policy with OCSP and no cached "
          "verdict), so gRPC's own threads never block on the network; 0 = decide those on gRPC's threads");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9090",
          "host:port of the Prometheus endpoint (GET /metrics, plain HTTP); empty = off");
ABSL_FLAG(std::string, decision_log, "stdout",
          "Where decision logs go (one JSON line per decision): stdout, stderr, off or a file path (appended)");
ABSL_FLAG(double, decision_log_sample_rate, 1.0,
          "Share (0..1) of ALLOW decisions written to the decision log; DENY and errors are always written");
ABSL_FLAG(absl::Duration, decision_log_flush_interval, absl::Seconds(1),
          "Longest time a decision log line waits in the buffer before it is written out; 0 = write "
          "every line at once (one system call per decision)");
ABSL_FLAG(std::string, policy_dir, "", "Directory of YAML policy files (required)");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");
ABSL_FLAG(int64_t, max_request_bytes, 256 * 1024, "Largest ValidateCertificate or ext_authz Check request accepted (on its wire size, before parsing)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT: time in-flight calls get to finish before they are cancelled");
ABSL_FLAG(bool, reflection, true, "Serve gRPC server reflection");
ABSL_FLAG(int32_t, max_concurrent_streams, 100, "HTTP/2 max concurrent streams per connection");
ABSL_FLAG(int32_t, max_connections, 1024,
          "Most client connections open at once (all listeners); more are closed on accept. 0 = no cap");
ABSL_FLAG(int32_t, max_connections_per_peer, 256,
          "Most connections open at once from one client IP address (Unix sockets: all clients); 0 = no cap");
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "A connection without calls for this long is closed (GOAWAY); inf = never");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(30),
          "Every connection is closed (GOAWAY) at this age, so clients rebalance; inf = never");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Seconds(10),
          "Time the calls of a connection closed for its age get to finish");
ABSL_FLAG(absl::Duration, handshake_timeout, absl::Seconds(10),
          "A connection must finish its TLS handshake and HTTP/2 preface within this time");
ABSL_FLAG(int64_t, max_grpc_memory_bytes, 64 << 20,
          "Memory gRPC may hold for connections and requests in transit (grpc::ResourceQuota); 0 = no bound");
ABSL_FLAG(absl::Duration, keepalive_time, absl::Minutes(2), "Server keepalive ping interval");
ABSL_FLAG(absl::Duration, keepalive_timeout, absl::Seconds(20), "Keepalive ping ack timeout");
ABSL_FLAG(bool, admin, true, "Serve certguard.v1.RegistryAdmin (list/get policies, reload, status)");
ABSL_FLAG(absl::Duration, watch_interval, absl::Seconds(2),
          "Poll --policy_dir and the files policies reference this often and reload on change; 0 = off");
ABSL_FLAG(int64_t, cache_max_entries, 10000, "Verdict cache size; 0 turns the cache off");
ABSL_FLAG(absl::Duration, cache_ttl, absl::Minutes(5), "Longest time a cached verdict is reused");
ABSL_FLAG(int64_t, cache_max_bytes, 48 << 20,
          "Verdict cache memory, in bytes (of which at most --cache_deny_max_bytes for DENY verdicts); 0 turns it off");
ABSL_FLAG(int64_t, cache_deny_max_bytes, 8 << 20,
          "The share of --cache_max_bytes DENY verdicts may use; they never evict an ALLOW");
ABSL_FLAG(int64_t, certificate_cache_bytes, 24 << 20,
          "Parsed-certificate cache memory, in bytes (estimated per certificate); 0 turns it off");
ABSL_FLAG(int64_t, certificate_cache_entries, 4096,
          "Parsed-certificate cache size (presented certificates by exact DER bytes); 0 turns it off");
ABSL_FLAG(bool, check_policies, false, "Validate --policy_dir and exit 0 (valid) or 1");
// Envoy ext_authz front end (envoy.service.auth.v3.Authorization/Check on the same listeners).
ABSL_FLAG(bool, ext_authz, true, "Serve Envoy's envoy.service.auth.v3.Authorization/Check");
ABSL_FLAG(std::string, ext_authz_cert_sources, std::string(certguard::ext_authz::kDefaultCertSources),
          "ext_authz: where to find the client certificate, in order: 'peer' (Envoy's peer "
          "certificate, include_peer_certificate: true) or a lower-case header name, each "
          "optionally NAME=FORMAT (e.g. x-client-cert=URL_ENCODED_PEM); the first present wins");
ABSL_FLAG(std::string, ext_authz_default_policy, "",
          "ext_authz: policy for routes whose context_extensions name none (certguard_policy); "
          "empty = deny them with POLICY_ID_MISSING");
ABSL_FLAG(std::string, ext_authz_header_prefix, "x-",
          "ext_authz: prefix of the identity headers added on ALLOW (x- gives x-client-cert-subject, "
          "x-client-cert-sha256, x-client-cert-issuer, x-client-spiffe-id, x-certguard-policy, "
          "x-certguard-revision, x-certguard-reason)");
ABSL_FLAG(bool, ext_authz_remove_forwarded_headers, true,
          "ext_authz: on ALLOW, strip the certificate headers (--ext_authz_cert_sources) from the "
          "request sent to the app");
// Offline evaluation.
ABSL_FLAG(std::string, policy, "", "Offline evaluation: the policy id to apply");
ABSL_FLAG(std::string, header_value, "", "Offline evaluation: the raw header value");
ABSL_FLAG(std::string, header_file, "", "Offline evaluation: a file holding the raw header value");
ABSL_FLAG(std::string, cert_file, "", "Offline evaluation: a PEM certificate (chain) file");
ABSL_FLAG(std::string, header_name, "", "Offline evaluation: the header's name (helps detection)");
ABSL_FLAG(std::string, path, "", "Offline evaluation: the request path");
ABSL_FLAG(bool, http, false, "Offline evaluation: the request arrived over plain HTTP");
ABSL_FLAG(std::string, at, "", "Offline evaluation: validation time, RFC 3339 (default now)");
ABSL_FLAG(std::string, output, "text", "Offline evaluation output: text or json");

namespace certguard {
namespace {

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int CheckPolicies(const std::string& dir) {
  policy::LoadResult result = policy::LoadRegistry(dir, absl::Now());
  if (!result.ok()) {
    std::cerr << result.ErrorSummary() << "\n"
              << result.errors.size() << " error(s) in " << dir << "\n";
    return 1;
  }
  std::cout << dir << ": " << result.registry->policies().size() << " policies OK, revision "
            << result.registry->revision() << "\n";
  return 0;
}

int EvaluateOffline(const std::string& dir) {
  policy::LoadResult result = policy::LoadRegistry(dir, absl::Now());
  if (!result.ok()) {
    std::cerr << result.ErrorSummary() << "\n";
    return 2;
  }
  v1::ValidateCertificateRequest request;
  request.set_policy_id(absl::GetFlag(FLAGS_policy));
  request.set_header_name(absl::GetFlag(FLAGS_header_name));
  request.set_path(absl::GetFlag(FLAGS_path));
  request.set_is_https(!absl::GetFlag(FLAGS_http));
  const std::string header_file = absl::GetFlag(FLAGS_header_file);
  const std::string cert_file = absl::GetFlag(FLAGS_cert_file);
  if (!header_file.empty() || !cert_file.empty()) {
    const std::string& file = header_file.empty() ? cert_file : header_file;
    std::optional<std::string> data = ReadWholeFile(file);
    if (!data) {
      std::cerr << "cannot read " << file << "\n";
      return 2;
    }
    if (!header_file.empty()) {
      // A header file holds one value; a trailing newline from an editor is not part of it.
      while (!data->empty() && (data->back() == '\n' || data->back() == '\r')) data->pop_back();
    } else {
      request.set_format(v1::PEM);
    }
    request.set_header_value(*data);
  } else {
    request.set_header_value(absl::GetFlag(FLAGS_header_value));
  }
  absl::Time at = absl::Now();
  if (const std::string text = absl::GetFlag(FLAGS_at); !text.empty()) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, text, &at, &error)) {
      std::cerr << "--at: " << error << "\n";
      return 2;
    }
  }
  v1::ValidateCertificateResponse response;
  absl::Status status = service::EvaluateInRegistry(result.registry.get(), request.policy_id(),
                                                    service::ToEvaluationInput(request), at, &response);
  if (!status.ok()) {
    std::cerr << status << "\n";
    return 2;
  }
  std::cout << (absl::GetFlag(FLAGS_output) == "json" ? output::ResponseToJson(response)
                                                      : output::ResponseToText(response));
  return response.decision() == v1::ALLOW ? 0 : 1;
}

// Flags -> options.ext_authz; INVALID_ARGUMENT naming the flag on a bad value.
absl::Status ConfigureExtAuthz(runtime::ServerOptions* options) {
  options->ext_authz_enabled = absl::GetFlag(FLAGS_ext_authz);
  ext_authz::ExtAuthzOptions& ext = options->ext_authz;
  auto sources = ext_authz::ParseCertSources(absl::GetFlag(FLAGS_ext_authz_cert_sources));
  if (!sources.ok()) return absl::InvalidArgumentError(absl::StrCat("--ext_authz_cert_sources: ", sources.status().message()));
  ext.cert_sources = *std::move(sources);
  auto names = ext_authz::IdentityHeaderNamesWithPrefix(absl::GetFlag(FLAGS_ext_authz_header_prefix));
  if (!names.ok()) return absl::InvalidArgumentError(absl::StrCat("--ext_authz_header_prefix: ", names.status().message()));
  ext.identity_headers = *std::move(names);
  ext.default_policy = absl::GetFlag(FLAGS_ext_authz_default_policy);
  ext.remove_forwarded_headers = absl::GetFlag(FLAGS_ext_authz_remove_forwarded_headers);
  ext.max_request_bytes = options->validator.max_request_bytes;
  return ext_authz::ValidateOptions(ext);
}

// "0660" / "660" -> 0660; false for anything but 1-4 octal digits up to 0777.
bool ParseOctalMode(const std::string& text, uint32_t* mode) {
  if (text.empty() || text.size() > 4) return false;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return false;
    value = value * 8 + static_cast<uint32_t>(c - '0');
  }
  if (value > 0777) return false;
  *mode = value;
  return true;
}

// Handles SIGHUP (reload) and SIGTERM/SIGINT (drain) on the main thread via sigwait.
int Serve(const std::string& dir) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by every thread started below

  runtime::ServerOptions options;
  for (absl::string_view a : absl::StrSplit(absl::GetFlag(FLAGS_listen), ',', absl::SkipWhitespace())) {
    options.listen.emplace_back(a);
  }
  options.validator.max_request_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_request_bytes));
  options.reflection = absl::GetFlag(FLAGS_reflection);
  options.admin_enabled = absl::GetFlag(FLAGS_admin);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  options.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  options.max_call_duration = absl::GetFlag(FLAGS_max_call_duration);
  options.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  options.handshake_timeout = absl::GetFlag(FLAGS_handshake_timeout);
  if (absl::GetFlag(FLAGS_max_connections) < 0 || absl::GetFlag(FLAGS_max_connections_per_peer) < 0 ||
      absl::GetFlag(FLAGS_max_grpc_memory_bytes) < 0 || absl::GetFlag(FLAGS_max_concurrent_streams) < 1) {
    std::cerr << "certguard-server: --max_connections, --max_connections_per_peer and --max_grpc_memory_bytes "
                 "must be 0 or more, --max_concurrent_streams 1 or more\n";
    return 2;
  }
  options.connections.max_connections = static_cast<size_t>(absl::GetFlag(FLAGS_max_connections));
  options.connections.max_per_peer = static_cast<size_t>(absl::GetFlag(FLAGS_max_connections_per_peer));
  options.grpc_memory_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_grpc_memory_bytes));
  if (options.connections.max_connections > 0) {
    absl::StatusOr<size_t> descriptors =
        runtime::EnsureDescriptorLimit(options.connections.max_connections + runtime::kReservedDescriptors);
    if (!descriptors.ok()) {
      std::cerr << "certguard-server: " << descriptors.status().message() << "\n";
      return 2;
    }
  }
  if (absl::GetFlag(FLAGS_revocation_threads) < 0 || absl::GetFlag(FLAGS_revocation_threads) > 1024) {
    std::cerr << "certguard-server: --revocation_threads: expected 0 to 1024\n";
    return 2;
  }
  options.revocation_threads = static_cast<size_t>(absl::GetFlag(FLAGS_revocation_threads));
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  if (!ParseOctalMode(absl::GetFlag(FLAGS_unix_socket_mode), &options.unix_socket_mode)) {
    std::cerr << "certguard-server: --unix_socket_mode: expected an octal mode such as 0660\n";
    return 2;
  }
  runtime::ObservabilityOptions observability;
  observability.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  observability.decision_log.destination = absl::GetFlag(FLAGS_decision_log);
  observability.decision_log.allow_sample_rate = absl::GetFlag(FLAGS_decision_log_sample_rate);
  observability.decision_log.flush_interval = absl::GetFlag(FLAGS_decision_log_flush_interval);
  if (absl::Status status = ConfigureExtAuthz(&options); !status.ok()) {
    std::cerr << "certguard-server: " << status.message() << "\n";
    return 2;
  }
  service::VerdictCacheOptions cache_options;
  cache_options.max_entries = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_cache_max_entries)));
  cache_options.ttl = absl::GetFlag(FLAGS_cache_ttl);
  cache_options.max_bytes = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_cache_max_bytes)));
  cache_options.deny_max_bytes = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_cache_deny_max_bytes)));

  policy::RegistryStore store;
  service::DecisionEngine engine(
      &store, service::SystemClock(), cache_options,
      static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_certificate_cache_entries))),
      static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_certificate_cache_bytes))));
  service::RegistryReloader reloader(dir, &store, &engine.cache(), service::SystemClock());
  auto stack = runtime::ObservabilityStack::Start(observability, &engine, &reloader);
  if (!stack.ok()) {
    std::cerr << "certguard-server: " << stack.status().message() << "\n";
    return absl::IsInvalidArgument(stack.status()) ? 2 : 1;
  }
  if (const std::string metrics = (*stack)->metrics_address(); !metrics.empty()) {
    std::cout << "certguard-server: metrics at http://" << metrics << "/metrics" << std::endl;
  }

  // Listen first (health NOT_SERVING, policy calls UNAVAILABLE), then load the registry.
  auto server = runtime::Server::Start(options, &engine, &reloader);
  if (!server.ok()) {
    std::cerr << "certguard-server: " << server.status().message() << "\n";
    return absl::IsInvalidArgument(server.status()) ? 2 : 1;
  }
  service::RegistryReloader::Outcome initial = reloader.Reload("startup");
  if (!initial.ok) {
    std::cerr << "certguard-server: cannot load the policy registry from " << dir << ":\n"
              << absl::StrJoin(initial.errors, "\n") << "\n";
    return 1;
  }
  (*stack)->WatchConnections((*server)->listeners().counters());
  (*server)->SetServing(true);
  const auto registry = store.Current();
  for (const std::string& address : (*server)->bound_addresses()) {
    std::cout << "certguard-server: listening on " << address << " (" << registry->policies().size()
              << " policies, revision " << registry->revision() << ")" << std::endl;
  }
  log::Info("serving", {{"addresses", absl::StrJoin((*server)->bound_addresses(), ",")},
                        {"revision", registry->revision()}});

  std::unique_ptr<policy::DirectoryWatcher> watcher;
  if (const absl::Duration interval = absl::GetFlag(FLAGS_watch_interval); interval > absl::ZeroDuration()) {
    watcher = std::make_unique<policy::DirectoryWatcher>(
        dir,
        [&store] {
          policy::RegistryPtr r = store.Current();
          return r ? r->referenced_files() : std::vector<std::string>{};
        },
        [&reloader] { reloader.Reload("watch"); }, interval);
  }

  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      reloader.Reload("SIGHUP");
      continue;
    }
    const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
    log::Info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                                {"grace", absl::FormatDuration(grace)}});
    const absl::Time started = absl::Now();
    watcher.reset();
    (*server)->Shutdown(started + grace);
    (*server)->Wait();
    log::Info("stopped", {{"took", absl::FormatDuration(absl::Trunc(absl::Now() - started, absl::Milliseconds(1)))}});
    return 0;
  }
}

// The value of --config / -config in argv (before "--"), or "".
std::string ConfigPathFromArgv(int argc, char** argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    for (absl::string_view prefix : {"--config", "-config"}) {
      if (arg == prefix && i + 1 < argc) path = argv[i + 1];
      if (absl::StartsWith(arg, absl::StrCat(prefix, "="))) path = std::string(arg.substr(prefix.size() + 1));
    }
  }
  return path;
}

// Sets every flag named in the config file; the command line is parsed afterwards and wins.
absl::Status ApplyConfigFile(const std::string& path) {
  absl::StatusOr<runtime::ConfigEntries> entries = runtime::ReadConfigFile(path);
  if (!entries.ok()) return entries.status();
  for (const auto& [key, value] : *entries) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(key);
    if (flag == nullptr || key == "config" || !absl::EndsWith(flag->Filename(), "server/main.cc")) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": unknown key '", key, "' (keys are flag names)"));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", key, ": ", error));
    }
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace certguard

int main(int argc, char** argv) {
  // Debian's abseil checks every Mutex acquisition for lock-order cycles (~8% of a cached
  // request's CPU, measured by the benchmark); certguard's own tests run with it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "certguard-server --policy_dir DIR [--listen 127.0.0.1:50051] [--config FILE]\n"
      "  validates forwarded client certificates over gRPC (see README.md)");
  if (const std::string config = certguard::ConfigPathFromArgv(argc, argv); !config.empty()) {
    if (absl::Status status = certguard::ApplyConfigFile(config); !status.ok()) {
      std::cerr << "certguard-server: " << status.message() << "\n";
      return 2;
    }
  }
  absl::ParseCommandLine(argc, argv);
  certguard::log::Level level;
  if (!certguard::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    std::cerr << "--log_level: expected debug, info, warning or error\n";
    return 2;
  }
  certguard::log::SetMinLevel(level);
  const std::string dir = absl::GetFlag(FLAGS_policy_dir);
  if (dir.empty()) {
    std::cerr << "certguard-server: --policy_dir is required\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_check_policies)) return certguard::CheckPolicies(dir);
  if (!absl::GetFlag(FLAGS_policy).empty()) return certguard::EvaluateOffline(dir);
  return certguard::Serve(dir);
}
