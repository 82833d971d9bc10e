// Renders a ValidateCertificateResponse as human-readable text or as JSON (protobuf's JSON
// mapping, field names in lowerCamelCase). Shared by `certguard validate` and
// `certguard evaluate`.
#ifndef CERTGUARD_CLIENT_LIB_RESPONSE_PRINTER_H_
#define CERTGUARD_CLIENT_LIB_RESPONSE_PRINTER_H_

#include <string>

#include "certguard/v1/validator.pb.h"

namespace certguard::client {

std::string ResponseToText(const v1::ValidateCertificateResponse& response);
std::string ResponseToJson(const v1::ValidateCertificateResponse& response);

}  // namespace certguard::client

#endif  // CERTGUARD_CLIENT_LIB_RESPONSE_PRINTER_H_
