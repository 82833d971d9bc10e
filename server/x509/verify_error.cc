#include "server/x509/verify_error.h"

#include <openssl/x509_vfy.h>

namespace certguard::x509 {

VerifyError VerifyErrorFromOpenSsl(int x509_v_error) {
  switch (x509_v_error) {
    case X509_V_OK:
      return VerifyError::kNone;

    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
    case X509_V_ERR_SUBJECT_ISSUER_MISMATCH:
    case X509_V_ERR_AKID_SKID_MISMATCH:
    case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
    case X509_V_ERR_PATH_LOOP:
    case X509_V_ERR_DANE_NO_MATCH:
      return VerifyError::kUntrusted;

    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_NO_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM:
    case X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH:
    case X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY:
      return VerifyError::kSignatureInvalid;

    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return VerifyError::kExpired;

    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
      return VerifyError::kNotYetValid;

    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_INVALID_NON_CA:
    case X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED:
    case X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA:
    case X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN:
    case X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA:
    case X509_V_ERR_CA_BCONS_NOT_CRITICAL:
    case X509_V_ERR_CA_CERT_MISSING_KEY_USAGE:
      return VerifyError::kInvalidCa;

    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
      return VerifyError::kChainTooLong;

    case X509_V_ERR_PERMITTED_VIOLATION:
    case X509_V_ERR_EXCLUDED_VIOLATION:
    case X509_V_ERR_SUBTREE_MINMAX:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX:
    case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
    case X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION:
      return VerifyError::kNameConstraints;

    case X509_V_ERR_CERT_REVOKED:
      return VerifyError::kRevoked;

    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
    case X509_V_ERR_OCSP_VERIFY_NEEDED:
    case X509_V_ERR_OCSP_VERIFY_FAILED:
    case X509_V_ERR_OCSP_CERT_UNKNOWN:
      return VerifyError::kRevocationUnknown;

    case X509_V_ERR_NO_EXPLICIT_POLICY:
    case X509_V_ERR_INVALID_POLICY_EXTENSION:
      return VerifyError::kPolicy;

    default:
      return VerifyError::kOther;
  }
}

absl::string_view VerifyErrorName(VerifyError error) {
  switch (error) {
    case VerifyError::kNone:
      return "NONE";
    case VerifyError::kUntrusted:
      return "UNTRUSTED";
    case VerifyError::kSignatureInvalid:
      return "SIGNATURE_INVALID";
    case VerifyError::kExpired:
      return "EXPIRED";
    case VerifyError::kNotYetValid:
      return "NOT_YET_VALID";
    case VerifyError::kInvalidCa:
      return "INVALID_CA";
    case VerifyError::kChainTooLong:
      return "CHAIN_TOO_LONG";
    case VerifyError::kNameConstraints:
      return "NAME_CONSTRAINTS";
    case VerifyError::kRevoked:
      return "REVOKED";
    case VerifyError::kRevocationUnknown:
      return "REVOCATION_UNKNOWN";
    case VerifyError::kPolicy:
      return "POLICY";
    case VerifyError::kOther:
      return "OTHER";
  }
  return "OTHER";
}

}  // namespace certguard::x509
