#include "server/service/reason_mapping.h"

namespace certguard::service {

v1::Reason ReasonFor(headers::DecodeError error) {
  switch (error) {
    case headers::DecodeError::kNone: return v1::OK;
    case headers::DecodeError::kMalformed: return v1::MALFORMED_HEADER;
    case headers::DecodeError::kHeaderTooLarge: return v1::HEADER_TOO_LARGE;
    case headers::DecodeError::kTooManyCertificates: return v1::TOO_MANY_CERTIFICATES;
    case headers::DecodeError::kCertificateTooLarge: return v1::CERTIFICATE_TOO_LARGE;
    case headers::DecodeError::kFormatNotAllowed: return v1::FORMAT_NOT_ALLOWED;
    case headers::DecodeError::kHeaderNotAllowed: return v1::HEADER_NOT_ALLOWED;
    case headers::DecodeError::kHashMismatch: return v1::XFCC_HASH_MISMATCH;
  }
  return v1::INTERNAL_ERROR;
}

v1::Reason ReasonFor(x509::VerifyError error) {
  switch (error) {
    case x509::VerifyError::kNone: return v1::OK;
    case x509::VerifyError::kUntrusted: return v1::UNTRUSTED_CHAIN;
    case x509::VerifyError::kSignatureInvalid: return v1::SIGNATURE_INVALID;
    case x509::VerifyError::kExpired: return v1::EXPIRED;
    case x509::VerifyError::kNotYetValid: return v1::NOT_YET_VALID;
    case x509::VerifyError::kInvalidCa: return v1::INVALID_CA;
    case x509::VerifyError::kChainTooLong: return v1::CHAIN_TOO_LONG;
    case x509::VerifyError::kNameConstraints: return v1::NAME_CONSTRAINTS_VIOLATED;
    case x509::VerifyError::kRevoked: return v1::REVOKED;
    case x509::VerifyError::kRevocationUnknown: return v1::REVOCATION_UNKNOWN;
    case x509::VerifyError::kPolicy: return v1::CERTIFICATE_POLICY_INVALID;
    case x509::VerifyError::kOther: return v1::CHAIN_INVALID;
  }
  return v1::INTERNAL_ERROR;
}

const char* ReasonSentence(v1::Reason reason) {
  switch (reason) {
    case v1::OK: return "the certificate satisfies the policy";
    case v1::CERTIFICATE_ABSENT_ALLOWED: return "no certificate was presented and the policy makes it optional";
    case v1::PATH_EXCLUDED: return "the request path is excluded from certificate checks";
    case v1::HTTPS_REQUIRED: return "the request did not arrive over HTTPS and the policy requires HTTPS";
    case v1::CERTIFICATE_MISSING: return "no client certificate was presented and the policy requires one";
    case v1::POLICY_ID_MISSING: return "no policy id was given and no default policy is configured";
    case v1::MALFORMED_HEADER: return "the certificate header could not be decoded";
    case v1::HEADER_TOO_LARGE: return "the certificate header is larger than the limit";
    case v1::TOO_MANY_CERTIFICATES: return "more certificates were forwarded than the limit";
    case v1::CERTIFICATE_TOO_LARGE: return "a forwarded certificate is larger than the limit";
    case v1::FORMAT_NOT_ALLOWED: return "the header format is not accepted by the policy";
    case v1::HEADER_NOT_ALLOWED: return "the header name is not accepted by the policy";
    case v1::XFCC_HASH_MISMATCH: return "the XFCC Hash does not match the forwarded certificate";
    case v1::MALFORMED_CERTIFICATE: return "a forwarded certificate is not valid X.509 DER";
    case v1::UNTRUSTED_CHAIN: return "the certificate does not chain to a trust anchor of the policy";
    case v1::SELF_SIGNED_NOT_ALLOWED: return "the certificate is self-signed and the policy accepts chained certificates only";
    case v1::CHAINED_NOT_ALLOWED: return "the certificate is CA-issued and the policy accepts self-signed certificates only";
    case v1::CHAIN_TOO_LONG: return "the certification path is longer than the policy's maximum depth";
    case v1::SIGNATURE_INVALID: return "a signature in the certification path does not verify";
    case v1::EXPIRED: return "a certificate in the path has expired";
    case v1::NOT_YET_VALID: return "a certificate in the path is not yet valid";
    case v1::INVALID_CA: return "an issuer in the path is not a valid CA";
    case v1::CHAIN_INVALID: return "the certification path is invalid";
    case v1::NAME_CONSTRAINTS_VIOLATED: return "a name in the path violates a CA's name constraints";
    case v1::EKU_MISMATCH: return "the certificate lacks a required extended key usage";
    case v1::KEY_USAGE_MISMATCH: return "the certificate lacks a required key usage";
    case v1::LEAF_IS_CA: return "the client certificate is a CA certificate";
    case v1::CERTIFICATE_VERSION_INVALID: return "a certificate is not X.509 version 3";
    case v1::KEY_TOO_SMALL: return "a key is smaller than the policy's minimum";
    case v1::KEY_TOO_LARGE: return "a key is larger than the policy's maximum";
    case v1::CURVE_NOT_ALLOWED: return "an elliptic curve is not allowed by the policy";
    case v1::KEY_ALGORITHM_NOT_ALLOWED: return "a key algorithm is not allowed by the policy";
    case v1::SIGNATURE_ALGORITHM_NOT_ALLOWED: return "a signature algorithm is not allowed by the policy";
    case v1::STRICT_PROFILE_VIOLATION: return "a certificate violates the strict profile";
    case v1::THUMBPRINT_NOT_ALLOWED: return "the certificate's thumbprint is not pinned by the policy";
    case v1::SUBJECT_MISMATCH: return "the certificate's subject does not match the policy";
    case v1::ISSUER_MISMATCH: return "the certificate's issuer does not match the policy";
    case v1::SAN_MISMATCH: return "no subject alternative name matches the policy";
    case v1::SPIFFE_ID_MISMATCH: return "the SPIFFE ID is not allowed by the policy";
    case v1::SPIFFE_SVID_INVALID: return "the certificate is not a valid X.509-SVID";
    case v1::SPKI_PIN_MISMATCH: return "the certificate's public key is not pinned by the policy";
    case v1::SERIAL_NOT_ALLOWED: return "the certificate's serial number is not allowed";
    case v1::IDENTITY_MISMATCH: return "none of the policy's identities matches the certificate";
    case v1::CA_EKU_MISMATCH: return "a CA certificate in the path does not allow the required extended key usage";
    case v1::CERTIFICATE_POLICY_INVALID: return "certificate policy processing rejected the path";
    case v1::REVOKED: return "the certificate has been revoked";
    case v1::REVOCATION_UNKNOWN: return "the revocation status could not be determined";
    case v1::INTERNAL_ERROR: return "an internal error occurred; the request is denied";
    default: return "unknown reason";
  }
}

}  // namespace certguard::service
