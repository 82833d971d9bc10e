#include "server/core/reason_mapping.h"

namespace certguard::core {

v1::Reason ReasonFor(headers::DecodeError error) {
  switch (error) {
    case headers::DecodeError::kNone:
      return v1::OK;
    case headers::DecodeError::kMalformed:
      return v1::MALFORMED_HEADER;
    case headers::DecodeError::kHeaderTooLarge:
      return v1::HEADER_TOO_LARGE;
    case headers::DecodeError::kTooManyCertificates:
      return v1::TOO_MANY_CERTIFICATES;
    case headers::DecodeError::kCertificateTooLarge:
      return v1::CERTIFICATE_TOO_LARGE;
    case headers::DecodeError::kFormatNotAllowed:
      return v1::FORMAT_NOT_ALLOWED;
    case headers::DecodeError::kHeaderNotAllowed:
      return v1::HEADER_NOT_ALLOWED;
    case headers::DecodeError::kHashMismatch:
      return v1::XFCC_HASH_MISMATCH;
  }
  return v1::INTERNAL_ERROR;
}

v1::Reason ReasonFor(x509::VerifyError error) {
  switch (error) {
    case x509::VerifyError::kNone:
      return v1::OK;
    case x509::VerifyError::kUntrusted:
      return v1::UNTRUSTED_CHAIN;
    case x509::VerifyError::kSignatureInvalid:
      return v1::SIGNATURE_INVALID;
    case x509::VerifyError::kExpired:
      return v1::EXPIRED;
    case x509::VerifyError::kNotYetValid:
      return v1::NOT_YET_VALID;
    case x509::VerifyError::kInvalidCa:
      return v1::INVALID_CA;
    case x509::VerifyError::kChainTooLong:
      return v1::CHAIN_TOO_LONG;
    case x509::VerifyError::kNameConstraints:
      return v1::NAME_CONSTRAINTS_VIOLATED;
    case x509::VerifyError::kRevoked:
      return v1::REVOKED;
    case x509::VerifyError::kRevocationUnknown:
      return v1::REVOCATION_UNKNOWN;
    case x509::VerifyError::kPolicy:
      return v1::CERTIFICATE_POLICY_INVALID;
    case x509::VerifyError::kOther:
      return v1::CHAIN_INVALID;
  }
  return v1::INTERNAL_ERROR;
}

}  // namespace certguard::core
