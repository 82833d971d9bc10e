// Builds a ValidateCertificateRequest from what the user gave the CLI.
#ifndef CERTGUARD_CLIENT_CLI_INPUT_H_
#define CERTGUARD_CLIENT_CLI_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "certguard/v1/validator.pb.h"

namespace certguard::cli {

struct InputSpec {
  std::string policy_id;
  std::string header_value;   // the raw value
  std::string header_file;    // or a file holding it (trailing newlines dropped)
  std::string cert_file;      // or a PEM certificate file (sent as format PEM)
  std::string headers_file;   // extra headers, one "Name: value" per line
  std::string header_name;
  std::string format;         // HeaderFormat name, empty = detect
  std::string path;
  bool http = false;
  std::string caller;
};

absl::StatusOr<v1::ValidateCertificateRequest> BuildRequest(const InputSpec& spec);

}  // namespace certguard::cli

#endif  // CERTGUARD_CLIENT_CLI_INPUT_H_
