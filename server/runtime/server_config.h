// ServerConfig: everything one certguard-server process is configured with, field for field
// the flags of main.cc (which only copies flag values in) and the keys of a --config file.
// ResolveServerConfig validates it in one place and turns it into the option structs of the
// modules; every error names the flag it is about.
#ifndef CERTGUARD_SERVER_RUNTIME_SERVER_CONFIG_H_
#define CERTGUARD_SERVER_RUNTIME_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/log.h"
#include "server/core/verdict_cache.h"
#include "server/ext_authz/options.h"
#include "server/runtime/admin_server.h"
#include "server/runtime/observability_stack.h"
#include "server/runtime/server.h"

namespace certguard::runtime {

// Values as the flags give them (docs/operations.md and `certguard-server --help` explain each).
struct ServerConfig {
  std::string policy_dir;
  std::string log_level = "info";
  // Listeners and transport.
  std::string listen = "127.0.0.1:50051";  // comma-separated
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  std::string unix_socket_mode = "0660";
  int64_t max_request_bytes = 256 * 1024;
  std::string reflection = "auto";
  int64_t max_concurrent_streams = 100;
  int64_t max_connections = 1024;
  int64_t max_connections_per_peer = 256;
  absl::Duration max_connection_idle = absl::Minutes(5);
  absl::Duration max_connection_age = absl::Minutes(30);
  absl::Duration max_connection_age_grace = absl::Seconds(10);
  absl::Duration handshake_timeout = absl::Seconds(10);
  int64_t max_grpc_memory_bytes = 64 << 20;
  absl::Duration keepalive_time = absl::Minutes(2);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  absl::Duration max_call_duration = absl::Seconds(5);
  absl::Duration shutdown_grace = absl::Seconds(10);
  int64_t revocation_threads = 8;
  // Admin listener (runtime/admin_server.h).
  std::string admin_listen = "127.0.0.1:50052";
  std::string admin_tls_cert_file;
  std::string admin_tls_key_file;
  std::string admin_tls_client_ca_file;
  std::string admin_allow;  // comma-separated identities
  std::string admin_socket_mode = "0600";
  // Registry.
  absl::Duration watch_interval = absl::Seconds(2);
  // Caches.
  int64_t cache_max_entries = 10000;
  absl::Duration cache_ttl = absl::Minutes(5);
  int64_t cache_max_bytes = 48 << 20;
  int64_t cache_deny_max_bytes = 8 << 20;
  int64_t certificate_cache_entries = 4096;
  int64_t certificate_cache_bytes = 24 << 20;
  // Observability.
  std::string metrics_listen = "127.0.0.1:9090";
  std::string decision_log = "stdout";
  double decision_log_sample_rate = 1.0;
  absl::Duration decision_log_flush_interval = absl::Seconds(1);
  // Envoy ext_authz.
  bool ext_authz = true;
  std::string ext_authz_cert_sources = std::string(ext_authz::kDefaultCertSources);
  std::string ext_authz_default_policy;
  std::string ext_authz_header_prefix = "x-";
  bool ext_authz_remove_forwarded_headers = true;
};

// What the modules take, made from a valid ServerConfig.
struct ResolvedConfig {
  std::string policy_dir;
  log::Level log_level = log::Level::kInfo;
  ServerOptions server;
  AdminServerOptions admin;  // admin.listen empty: no admin listener
  ObservabilityOptions observability;
  core::VerdictCacheOptions cache;
  size_t certificate_cache_entries = 0;
  size_t certificate_cache_bytes = 0;
  absl::Duration watch_interval;
  absl::Duration shutdown_grace;
};

// INVALID_ARGUMENT "--flag: what is wrong" for the first bad value: a missing --policy_dir, an
// unknown log level, a negative count or size, a mode that is not octal, an ext_authz source
// list or header prefix that does not parse.
absl::StatusOr<ResolvedConfig> ResolveServerConfig(const ServerConfig& config);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_SERVER_CONFIG_H_
