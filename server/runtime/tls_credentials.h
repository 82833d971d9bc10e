// Server credentials of the TCP listeners: plaintext, TLS (certificate + key), or mutual TLS
// (plus a client CA bundle: callers must present a certificate that chains to it, or the
// handshake fails). Files are read once at start; rotating them needs a restart.
#ifndef CERTGUARD_SERVER_RUNTIME_TLS_CREDENTIALS_H_
#define CERTGUARD_SERVER_RUNTIME_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include <grpcpp/security/server_credentials.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::runtime {

struct TlsOptions {
  std::string cert_file;       // PEM certificate chain of the server; empty = plaintext
  std::string key_file;        // PEM private key matching cert_file
  std::string client_ca_file;  // PEM CA bundle: when set, callers must present a certificate (mTLS)
};

// INVALID_ARGUMENT for a half configuration (cert without key, key without cert, client CA
// without a server certificate), a file that cannot be read, or one holding no PEM block; the
// message names the flags, with `flag_prefix` before each ("admin_" for the admin listener).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TcpServerCredentials(const TlsOptions& tls,
                                                                              absl::string_view flag_prefix = "");

// "plaintext", "tls" or "mtls" for logs.
const char* TlsModeName(const TlsOptions& tls);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_TLS_CREDENTIALS_H_
