// certguard: the command-line client.
//
//   certguard validate --target HOST:PORT --policy ID (--header_value V | --header_file F |
//                      --cert_file PEM) [--header_name N] [--format F] [--path P] [--http]
//                      [--headers_file F] [--json] [--timeout 5s]
//                      [--tls_ca_file CA.pem [--tls_cert_file C.pem --tls_key_file K.pem]]
//   certguard evaluate --policy_dir DIR --policy ID (same request flags) [--at RFC3339] [--json]
//   certguard admin list|get|reload|status [--admin_target HOST:PORT] [--policy ID] [--json]
//                   (same TLS flags)
//
// `validate` asks a server; `evaluate` decides offline with the server's decision core.
// Exit status: 0 ALLOW, 1 DENY, 2 error (bad usage, RPC failure, a policy directory that does
// not load); `admin`: 0 done, 1 reload refused, 2 error.
#include <iostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "client/cli/admin.h"
#include "client/cli/evaluate.h"
#include "client/lib/request_builder.h"
#include "client/lib/response_printer.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "validate: server address (host:port or unix:/path)");
ABSL_FLAG(std::string, policy, "", "Policy id");
ABSL_FLAG(std::string, header_value, "", "Raw header value as the proxy forwarded it");
ABSL_FLAG(std::string, header_file, "", "File holding the raw header value");
ABSL_FLAG(std::string, cert_file, "", "PEM certificate file (leaf first, then chain)");
ABSL_FLAG(std::string, headers_file, "", "Extra headers, one \"Name: value\" per line");
ABSL_FLAG(std::string, header_name, "", "Header name, e.g. X-ARR-ClientCert");
ABSL_FLAG(std::string, format, "", "Header format (BASE64_DER, PEM, XFCC, ...); default detect");
ABSL_FLAG(std::string, path, "", "Request path, for exclusion paths");
ABSL_FLAG(bool, http, false, "The request arrived over plain HTTP");
ABSL_FLAG(std::string, caller, "", "Caller name for decision logs");
ABSL_FLAG(bool, json, false, "Print the response as JSON");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "validate, admin: deadline of the call");
ABSL_FLAG(std::string, tls_ca_file, "",
          "validate: connect with TLS, trusting this PEM CA bundle for the server's certificate");
ABSL_FLAG(std::string, tls_cert_file, "",
          "validate: PEM client certificate for servers that require mutual TLS (implies TLS; with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "validate: PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, policy_dir, "", "evaluate: directory of YAML policy files");
ABSL_FLAG(std::string, at, "", "evaluate: validation time, RFC 3339 (default now)");
ABSL_FLAG(std::string, admin_target, "127.0.0.1:50052",
          "admin: the server's admin listener (its --admin_listen: host:port or unix:/path)");

namespace {

constexpr char kUsage[] =
    "certguard validate --target HOST:PORT --policy ID (--header_value V | --header_file F | --cert_file PEM) "
    "[--json]\n"
    "certguard evaluate --policy_dir DIR --policy ID (--header_value V | --header_file F | --cert_file PEM) "
    "[--at RFC3339] [--json]\n"
    "certguard admin list|get|reload|status [--admin_target HOST:PORT] [--policy ID] [--json]\n"
    "Exit status: 0 ALLOW, 1 DENY, 2 error (admin: 0 done, 1 reload refused, 2 error).";

bool ReadFileTo(const std::string& path, std::string* out) {
  absl::StatusOr<std::string> data = certguard::client::ReadWholeFile(path);
  if (!data.ok()) return false;
  *out = *std::move(data);
  return true;
}

// Plaintext unless a TLS flag is set; nullptr (message printed) on a bad TLS setup.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() {
  const std::string ca = absl::GetFlag(FLAGS_tls_ca_file);
  const std::string cert = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key = absl::GetFlag(FLAGS_tls_key_file);
  if (ca.empty() && cert.empty() && key.empty()) return grpc::InsecureChannelCredentials();
  if (cert.empty() != key.empty()) {
    std::cerr << "certguard: --tls_cert_file and --tls_key_file go together\n";
    return nullptr;
  }
  grpc::SslCredentialsOptions options;  // empty roots = the system's
  if (!ca.empty() && !ReadFileTo(ca, &options.pem_root_certs)) {
    std::cerr << "certguard: cannot read " << ca << "\n";
    return nullptr;
  }
  if (!cert.empty() && (!ReadFileTo(cert, &options.pem_cert_chain) || !ReadFileTo(key, &options.pem_private_key))) {
    std::cerr << "certguard: cannot read " << cert << " or " << key << "\n";
    return nullptr;
  }
  return grpc::SslCredentials(options);
}

// Prints `response` and returns the exit status it stands for.
int Print(const certguard::v1::ValidateCertificateResponse& response) {
  std::cout << (absl::GetFlag(FLAGS_json) ? certguard::client::ResponseToJson(response)
                                          : certguard::client::ResponseToText(response));
  return response.decision() == certguard::v1::ALLOW ? 0 : 1;
}

int Validate(const certguard::v1::ValidateCertificateRequest& request) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = ChannelCredentials();
  if (!credentials) return 2;
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_target), credentials);
  auto stub = certguard::v1::CertificateValidator::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  certguard::v1::ValidateCertificateResponse response;
  grpc::Status status = stub->ValidateCertificate(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "certguard: RPC failed: " << status.error_code() << " " << status.error_message() << "\n";
    return 2;
  }
  return Print(response);
}

int Evaluate(const certguard::v1::ValidateCertificateRequest& request) {
  const std::string dir = absl::GetFlag(FLAGS_policy_dir);
  if (dir.empty()) {
    std::cerr << "certguard: evaluate needs --policy_dir\n";
    return 2;
  }
  absl::Time at = absl::Now();
  if (const std::string text = absl::GetFlag(FLAGS_at); !text.empty()) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, text, &at, &error)) {
      std::cerr << "certguard: --at: " << error << "\n";
      return 2;
    }
  }
  absl::StatusOr<certguard::v1::ValidateCertificateResponse> response =
      certguard::client::EvaluateOffline(dir, request, at);
  if (!response.ok()) {
    std::cerr << "certguard: " << response.status().message() << "\n";
    return 2;
  }
  return Print(*response);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() >= 2 ? args[1] : "";
  if (command == "admin" && args.size() == 3) {
    std::shared_ptr<grpc::ChannelCredentials> credentials = ChannelCredentials();
    if (!credentials) return 2;
    return certguard::client::RunAdmin({.verb = args[2],
                                        .policy_id = absl::GetFlag(FLAGS_policy),
                                        .json = absl::GetFlag(FLAGS_json),
                                        .timeout = absl::GetFlag(FLAGS_timeout)},
                                       grpc::CreateChannel(absl::GetFlag(FLAGS_admin_target), credentials));
  }
  if (args.size() != 2 || (command != "validate" && command != "evaluate")) {
    std::cerr << "usage: " << kUsage << "\n(see --help)\n";
    return 2;
  }
  certguard::client::InputSpec spec;
  spec.policy_id = absl::GetFlag(FLAGS_policy);
  spec.header_value = absl::GetFlag(FLAGS_header_value);
  spec.header_file = absl::GetFlag(FLAGS_header_file);
  spec.cert_file = absl::GetFlag(FLAGS_cert_file);
  spec.headers_file = absl::GetFlag(FLAGS_headers_file);
  spec.header_name = absl::GetFlag(FLAGS_header_name);
  spec.format = absl::GetFlag(FLAGS_format);
  spec.path = absl::GetFlag(FLAGS_path);
  spec.http = absl::GetFlag(FLAGS_http);
  spec.caller = absl::GetFlag(FLAGS_caller);
  auto request = certguard::client::BuildRequest(spec);
  if (!request.ok()) {
    std::cerr << "certguard: " << request.status().message() << "\n";
    return 2;
  }
  return command == "validate" ? Validate(*request) : Evaluate(*request);
}
