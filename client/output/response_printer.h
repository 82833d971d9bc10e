// Renders a ValidateCertificateResponse as human-readable text or as JSON (protobuf's JSON
// mapping, field names in lowerCamelCase). Shared by the CLI and the server's offline mode.
#ifndef CERTGUARD_CLIENT_OUTPUT_RESPONSE_PRINTER_H_
#define CERTGUARD_CLIENT_OUTPUT_RESPONSE_PRINTER_H_

#include <string>

#include "certguard/v1/validator.pb.h"

namespace certguard::output {

std::string ResponseToText(const v1::ValidateCertificateResponse& response);
std::string ResponseToJson(const v1::ValidateCertificateResponse& response);

}  // namespace certguard::output

#endif  // CERTGUARD_CLIENT_OUTPUT_RESPONSE_PRINTER_H_
