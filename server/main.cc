// certguard-server: the only place with flags. Flags -> runtime::ServerConfig (validated by
// runtime::ResolveServerConfig) -> runtime::Run, or the --check_policies tool.
//
// Flags may also come from a YAML file (--config FILE): keys are flag names, flags given on the
// command line override the file, unknown keys are an error.
//
// Modes:
//   (default)          serve: listen (health NOT_SERVING), load --policy_dir, SERVING; reload
//                      on SIGHUP; on SIGTERM/SIGINT NOT_SERVING, drain, exit 0.
//   --check_policies   validate --policy_dir offline; print every error; exit 0 or 1.
// Offline evaluation of one request is `certguard evaluate` (the CLI).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/log.h"
#include "server/ext_authz/options.h"
#include "server/runtime/config_file.h"
#include "server/runtime/run.h"
#include "server/runtime/server_config.h"

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
ABSL_FLAG(int64_t, max_request_bytes, 256 * 1024,
          "Largest ValidateCertificate or ext_authz Check request accepted (on its wire size, before parsing)");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM/SIGINT: time in-flight calls get to finish before they are cancelled");
ABSL_FLAG(std::string, reflection, "auto",
          "gRPC server reflection: auto (served only when every listener is loopback or a Unix socket), true or "
          "false");
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
ABSL_FLAG(std::string, admin_listen, "127.0.0.1:50052",
          "Address of the admin API (certguard.v1.RegistryAdmin), never served on --listen: loopback host:port, "
          "unix:/path, or another address only with mTLS and --admin_allow. Empty = no admin API");
ABSL_FLAG(std::string, admin_tls_cert_file, "", "PEM certificate chain of the admin listener (TCP); empty = plaintext");
ABSL_FLAG(std::string, admin_tls_key_file, "", "PEM private key of --admin_tls_cert_file");
ABSL_FLAG(std::string, admin_tls_client_ca_file, "",
          "PEM CA bundle: admin callers must present a certificate it verifies (mTLS)");
ABSL_FLAG(std::string, admin_allow, "",
          "Comma-separated admin identities (spiffe://… with * per path segment, sha256:HEX, dn:RFC2253); needs "
          "mTLS. Empty = whoever reaches the admin listener");
ABSL_FLAG(std::string, admin_socket_mode, "0600", "Octal permissions of a Unix admin socket");
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
// Moved to the CLI; kept so that the old spelling gets a clear answer.
ABSL_FLAG(std::string, policy, "",
          "Removed: offline evaluation is `certguard evaluate --policy_dir DIR --policy ID ...`");

namespace certguard {
namespace {

// Every flag's value, as the config the runtime validates.
runtime::ServerConfig ConfigFromFlags() {
  runtime::ServerConfig c;
  c.policy_dir = absl::GetFlag(FLAGS_policy_dir);
  c.log_level = absl::GetFlag(FLAGS_log_level);
  c.listen = absl::GetFlag(FLAGS_listen);
  c.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  c.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  c.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  c.unix_socket_mode = absl::GetFlag(FLAGS_unix_socket_mode);
  c.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  c.reflection = absl::GetFlag(FLAGS_reflection);
  c.admin_listen = absl::GetFlag(FLAGS_admin_listen);
  c.admin_tls_cert_file = absl::GetFlag(FLAGS_admin_tls_cert_file);
  c.admin_tls_key_file = absl::GetFlag(FLAGS_admin_tls_key_file);
  c.admin_tls_client_ca_file = absl::GetFlag(FLAGS_admin_tls_client_ca_file);
  c.admin_allow = absl::GetFlag(FLAGS_admin_allow);
  c.admin_socket_mode = absl::GetFlag(FLAGS_admin_socket_mode);
  c.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  c.max_connections = absl::GetFlag(FLAGS_max_connections);
  c.max_connections_per_peer = absl::GetFlag(FLAGS_max_connections_per_peer);
  c.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  c.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  c.max_connection_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  c.handshake_timeout = absl::GetFlag(FLAGS_handshake_timeout);
  c.max_grpc_memory_bytes = absl::GetFlag(FLAGS_max_grpc_memory_bytes);
  c.keepalive_time = absl::GetFlag(FLAGS_keepalive_time);
  c.keepalive_timeout = absl::GetFlag(FLAGS_keepalive_timeout);
  c.max_call_duration = absl::GetFlag(FLAGS_max_call_duration);
  c.shutdown_grace = absl::GetFlag(FLAGS_shutdown_grace);
  c.revocation_threads = absl::GetFlag(FLAGS_revocation_threads);
  c.watch_interval = absl::GetFlag(FLAGS_watch_interval);
  c.cache_max_entries = absl::GetFlag(FLAGS_cache_max_entries);
  c.cache_ttl = absl::GetFlag(FLAGS_cache_ttl);
  c.cache_max_bytes = absl::GetFlag(FLAGS_cache_max_bytes);
  c.cache_deny_max_bytes = absl::GetFlag(FLAGS_cache_deny_max_bytes);
  c.certificate_cache_entries = absl::GetFlag(FLAGS_certificate_cache_entries);
  c.certificate_cache_bytes = absl::GetFlag(FLAGS_certificate_cache_bytes);
  c.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  c.decision_log = absl::GetFlag(FLAGS_decision_log);
  c.decision_log_sample_rate = absl::GetFlag(FLAGS_decision_log_sample_rate);
  c.decision_log_flush_interval = absl::GetFlag(FLAGS_decision_log_flush_interval);
  c.ext_authz = absl::GetFlag(FLAGS_ext_authz);
  c.ext_authz_cert_sources = absl::GetFlag(FLAGS_ext_authz_cert_sources);
  c.ext_authz_default_policy = absl::GetFlag(FLAGS_ext_authz_default_policy);
  c.ext_authz_header_prefix = absl::GetFlag(FLAGS_ext_authz_header_prefix);
  c.ext_authz_remove_forwarded_headers = absl::GetFlag(FLAGS_ext_authz_remove_forwarded_headers);
  return c;
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
      "  validates forwarded client certificates over gRPC (see README.md and docs/)");
  if (const std::string config = certguard::ConfigPathFromArgv(argc, argv); !config.empty()) {
    if (absl::Status status = certguard::ApplyConfigFile(config); !status.ok()) {
      std::cerr << "certguard-server: " << status.message() << "\n";
      return 2;
    }
  }
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_policy).empty()) {
    std::cerr << "certguard-server: offline evaluation moved to the CLI: certguard evaluate --policy_dir DIR "
                 "--policy ID (--header_value V | --header_file F | --cert_file PEM) [--at T] [--json]\n";
    return 2;
  }
  absl::StatusOr<certguard::runtime::ResolvedConfig> config =
      certguard::runtime::ResolveServerConfig(certguard::ConfigFromFlags());
  if (!config.ok()) {
    std::cerr << "certguard-server: " << config.status().message() << "\n";
    return 2;
  }
  certguard::log::SetMinLevel(config->log_level);
  if (absl::GetFlag(FLAGS_check_policies)) return certguard::runtime::CheckPolicies(config->policy_dir);
  return certguard::runtime::Run(*config);
}
