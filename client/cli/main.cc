// certguard: command-line client of a certguard server.
//
//   certguard validate --target HOST:PORT --policy ID (--header_value V | --header_file F |
//                      --cert_file PEM) [--header_name N] [--format F] [--path P] [--http]
//                      [--headers_file F] [--json] [--timeout 5s]
//                      [--tls_ca_file CA.pem [--tls_cert_file C.pem --tls_key_file K.pem]]
//
// Exit status: 0 ALLOW, 1 DENY, 2 error (bad usage, RPC failure).
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "client/cli/input.h"
#include "client/output/response_printer.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address (host:port or unix:/path)");
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
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5), "Deadline of the call");
ABSL_FLAG(std::string, tls_ca_file, "",
          "Connect with TLS, trusting this PEM CA bundle for the server's certificate");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM client certificate for servers that require mutual TLS (implies TLS; with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");

namespace {

bool ReadFileTo(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
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

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "certguard validate --target HOST:PORT --policy ID (--header_value V | --header_file F | "
      "--cert_file PEM) [--json]\nExit status: 0 ALLOW, 1 DENY, 2 error.");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2 || std::string(args[1]) != "validate") {
    std::cerr << "usage: certguard validate --target HOST:PORT --policy ID --header_value V "
                 "(see --help)\n";
    return 2;
  }
  certguard::cli::InputSpec spec;
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
  auto request = certguard::cli::BuildRequest(spec);
  if (!request.ok()) {
    std::cerr << "certguard: " << request.status().message() << "\n";
    return 2;
  }

  std::shared_ptr<grpc::ChannelCredentials> credentials = ChannelCredentials();
  if (!credentials) return 2;
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_target), credentials);
  auto stub = certguard::v1::CertificateValidator::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  certguard::v1::ValidateCertificateResponse response;
  grpc::Status status = stub->ValidateCertificate(&context, *request, &response);
  if (!status.ok()) {
    std::cerr << "certguard: RPC failed: " << status.error_code() << " " << status.error_message() << "\n";
    return 2;
  }
  std::cout << (absl::GetFlag(FLAGS_json) ? certguard::output::ResponseToJson(response)
                                          : certguard::output::ResponseToText(response));
  return response.decision() == certguard::v1::ALLOW ? 0 : 1;
}
