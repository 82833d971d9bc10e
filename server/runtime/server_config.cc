#include "server/runtime/server_config.h"

#include <algorithm>
#include <climits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"

namespace certguard::runtime {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

// `value` into `*out`, or the flag's error when it is below `min`.
absl::Status SetCount(absl::string_view flag, int64_t value, size_t* out, int64_t min = 0) {
  if (value < min) return FlagError(flag, absl::StrCat("expected ", min, " or more, got ", value));
  *out = static_cast<size_t>(value);
  return absl::OkStatus();
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

// A cache size: below zero means off, as zero does.
size_t SizeOrOff(int64_t value) { return static_cast<size_t>(std::max<int64_t>(0, value)); }

absl::Status ResolveExtAuthz(const ServerConfig& config, ServerOptions* options) {
  options->ext_authz_enabled = config.ext_authz;
  ext_authz::ExtAuthzOptions& ext = options->ext_authz;
  auto sources = ext_authz::ParseCertSources(config.ext_authz_cert_sources);
  if (!sources.ok()) return FlagError("ext_authz_cert_sources", sources.status().message());
  ext.cert_sources = *std::move(sources);
  auto names = ext_authz::IdentityHeaderNamesWithPrefix(config.ext_authz_header_prefix);
  if (!names.ok()) return FlagError("ext_authz_header_prefix", names.status().message());
  ext.identity_headers = *std::move(names);
  ext.default_policy = config.ext_authz_default_policy;
  ext.remove_forwarded_headers = config.ext_authz_remove_forwarded_headers;
  ext.max_request_bytes = options->validator.max_request_bytes;
  return ext_authz::ValidateOptions(ext);
}

// The admin listener: off when --admin_listen is empty; a listener reachable from other machines
// must authenticate its callers (mTLS) and name the identities it admits.
absl::Status ResolveAdmin(const ServerConfig& config, AdminServerOptions* admin) {
  admin->listen = config.admin_listen;
  if (admin->listen.empty()) return absl::OkStatus();
  absl::StatusOr<ListenAddress> address = ParseListenAddress(admin->listen);
  if (!address.ok()) return FlagError("admin_listen", address.status().message());
  admin->tls = {config.admin_tls_cert_file, config.admin_tls_key_file, config.admin_tls_client_ca_file};
  if (!ParseOctalMode(config.admin_socket_mode, &admin->unix_socket_mode)) {
    return FlagError("admin_socket_mode", "expected an octal mode such as 0600");
  }
  std::vector<std::string> entries;
  for (absl::string_view e : absl::StrSplit(config.admin_allow, ',', absl::SkipWhitespace())) {
    entries.emplace_back(absl::StripAsciiWhitespace(e));
  }
  absl::StatusOr<policy::IdentityAllowlist> allow = policy::IdentityAllowlist::Parse(entries);
  if (!allow.ok()) return FlagError("admin_allow", allow.status().message());
  admin->allow = *std::move(allow);
  const bool mtls = !address->is_unix && !admin->tls.cert_file.empty() && !admin->tls.client_ca_file.empty();
  if (!admin->allow.empty() && !mtls) {
    return FlagError("admin_allow",
                     "identities come from verified client certificates: it needs a TCP --admin_listen with "
                     "--admin_tls_cert_file, --admin_tls_key_file and --admin_tls_client_ca_file");
  }
  if (!address->local_only && (!mtls || admin->allow.empty())) {
    return FlagError("admin_listen",
                     absl::StrCat("'", admin->listen,
                                  "' is reachable from other machines: serve the admin API there only with mTLS "
                                  "(--admin_tls_cert_file, --admin_tls_key_file, --admin_tls_client_ca_file) and "
                                  "--admin_allow, or use a loopback address or a Unix socket"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ResolvedConfig> ResolveServerConfig(const ServerConfig& config) {
  ResolvedConfig out;
  if (config.policy_dir.empty()) return FlagError("policy_dir", "is required");
  out.policy_dir = config.policy_dir;
  if (!log::ParseLevel(config.log_level, &out.log_level)) {
    return FlagError("log_level", "expected debug, info, warning or error");
  }

  ServerOptions& server = out.server;
  for (absl::string_view a : absl::StrSplit(config.listen, ',', absl::SkipWhitespace())) server.listen.emplace_back(a);
  server.tls.cert_file = config.tls_cert_file;
  server.tls.key_file = config.tls_key_file;
  server.tls.client_ca_file = config.tls_client_ca_file;
  if (!ParseOctalMode(config.unix_socket_mode, &server.unix_socket_mode)) {
    return FlagError("unix_socket_mode", "expected an octal mode such as 0660");
  }
  RETURN_IF_ERROR(SetCount("max_request_bytes", config.max_request_bytes, &server.validator.max_request_bytes, 1));
  if (config.reflection == "auto") {
    server.reflection = ReflectionMode::kAuto;
  } else if (config.reflection == "true") {
    server.reflection = ReflectionMode::kOn;
  } else if (config.reflection == "false") {
    server.reflection = ReflectionMode::kOff;
  } else {
    return FlagError("reflection", "expected auto, true or false");
  }
  RETURN_IF_ERROR(ResolveAdmin(config, &out.admin));
  size_t streams = 0;
  RETURN_IF_ERROR(SetCount("max_concurrent_streams", config.max_concurrent_streams, &streams, 1));
  if (streams > static_cast<size_t>(INT32_MAX)) return FlagError("max_concurrent_streams", "too large");
  server.max_concurrent_streams = static_cast<int>(streams);
  RETURN_IF_ERROR(SetCount("max_connections", config.max_connections, &server.connections.max_connections));
  RETURN_IF_ERROR(
      SetCount("max_connections_per_peer", config.max_connections_per_peer, &server.connections.max_per_peer));
  RETURN_IF_ERROR(SetCount("max_grpc_memory_bytes", config.max_grpc_memory_bytes, &server.grpc_memory_bytes));
  server.max_connection_idle = config.max_connection_idle;
  server.max_connection_age = config.max_connection_age;
  server.max_connection_age_grace = config.max_connection_age_grace;
  server.handshake_timeout = config.handshake_timeout;
  server.keepalive_time = config.keepalive_time;
  server.keepalive_timeout = config.keepalive_timeout;
  server.max_call_duration = config.max_call_duration;
  if (config.revocation_threads < 0 || config.revocation_threads > 1024) {
    return FlagError("revocation_threads", "expected 0 to 1024");
  }
  server.revocation_threads = static_cast<size_t>(config.revocation_threads);
  RETURN_IF_ERROR(ResolveExtAuthz(config, &server));

  out.cache.max_entries = SizeOrOff(config.cache_max_entries);
  out.cache.ttl = config.cache_ttl;
  out.cache.max_bytes = SizeOrOff(config.cache_max_bytes);
  out.cache.deny_max_bytes = SizeOrOff(config.cache_deny_max_bytes);
  out.certificate_cache_entries = SizeOrOff(config.certificate_cache_entries);
  out.certificate_cache_bytes = SizeOrOff(config.certificate_cache_bytes);

  out.observability.metrics_listen = config.metrics_listen;
  out.observability.decision_log.destination = config.decision_log;
  out.observability.decision_log.allow_sample_rate = config.decision_log_sample_rate;
  out.observability.decision_log.flush_interval = config.decision_log_flush_interval;

  out.watch_interval = config.watch_interval;
  out.shutdown_grace = config.shutdown_grace;
  return out;
}

}  // namespace certguard::runtime
