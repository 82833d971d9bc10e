#include "server/runtime/tls_credentials.h"

#include <fstream>
#include <iterator>

#include <grpcpp/security/server_credentials.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/file_reader.h"

namespace certguard::runtime {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& flag, const std::string& path) {
  absl::StatusOr<std::string> data = common::ReadFile(path);
  if (!data.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  if (!absl::StrContains(*data, "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " holds no PEM block"));
  }
  return data;
}

}  // namespace

const char* TlsModeName(const TlsOptions& tls) {
  if (tls.cert_file.empty()) return "plaintext";
  return tls.client_ca_file.empty() ? "tls" : "mtls";
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TcpServerCredentials(const TlsOptions& tls,
                                                                              absl::string_view flag_prefix) {
  const auto flag = [flag_prefix](absl::string_view name) { return absl::StrCat(flag_prefix, name); };
  if (tls.cert_file.empty() && tls.key_file.empty()) {
    if (!tls.client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag("tls_client_ca_file"), " needs ", flag("tls_cert_file"), " and ", flag("tls_key_file")));
    }
    return grpc::InsecureServerCredentials();
  }
  if (tls.cert_file.empty() || tls.key_file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag("tls_cert_file"), " and ", flag("tls_key_file"), " must be given together"));
  }
  absl::StatusOr<std::string> cert = ReadPem(flag("tls_cert_file"), tls.cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(flag("tls_key_file"), tls.key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!tls.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(flag("tls_client_ca_file"), tls.client_ca_file);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace certguard::runtime
