// Builds a ValidateCertificateRequest from what a user gave on the command line: the one rule
// for `certguard validate` (sent to a server) and `certguard evaluate` (decided offline).
#ifndef CERTGUARD_CLIENT_LIB_REQUEST_BUILDER_H_
#define CERTGUARD_CLIENT_LIB_REQUEST_BUILDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "certguard/v1/validator.pb.h"

namespace certguard::client {

struct InputSpec {
  std::string policy_id;
  std::string header_value;  // the raw value
  std::string header_file;   // or a file holding it (trailing newlines dropped)
  std::string cert_file;     // or a PEM certificate file (sent as format PEM)
  std::string headers_file;  // extra headers, one "Name: value" per line
  std::string header_name;
  std::string format;  // HeaderFormat name, empty = detect
  std::string path;
  bool http = false;
  std::string caller;
};

// A whole file's bytes; NOT_FOUND "cannot read PATH". (client/ links only the generated
// messages, so it has this one reader of its own beside server/common/file_reader.h.)
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// INVALID_ARGUMENT for more than one value source, an unknown --format or a malformed headers
// file; NOT_FOUND for a file that cannot be read. The messages name the flag or file.
absl::StatusOr<v1::ValidateCertificateRequest> BuildRequest(const InputSpec& spec);

}  // namespace certguard::client

#endif  // CERTGUARD_CLIENT_LIB_REQUEST_BUILDER_H_
