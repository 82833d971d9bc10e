// Maps OpenSSL's X509_V_ERR_* verification codes onto certguard's VerifyError.
//
// | VerifyError         | X509_V_ERR_*                                                          |
// |---------------------|-----------------------------------------------------------------------|
// | kUntrusted          | UNABLE_TO_GET_ISSUER_CERT, UNABLE_TO_GET_ISSUER_CERT_LOCALLY,         |
// |                     | UNABLE_TO_VERIFY_LEAF_SIGNATURE, DEPTH_ZERO_SELF_SIGNED_CERT,         |
// |                     | SELF_SIGNED_CERT_IN_CHAIN, CERT_UNTRUSTED, CERT_REJECTED,             |
// |                     | SUBJECT_ISSUER_MISMATCH, AKID_SKID_MISMATCH,                          |
// |                     | AKID_ISSUER_SERIAL_MISMATCH, PATH_LOOP, DANE_NO_MATCH                 |
// | kSignatureInvalid   | UNABLE_TO_DECRYPT_CERT_SIGNATURE, UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, |
// |                     | CERT_SIGNATURE_FAILURE, NO_ISSUER_PUBLIC_KEY,                         |
// |                     | UNSUPPORTED_SIGNATURE_ALGORITHM, SIGNATURE_ALGORITHM_MISMATCH,        |
// |                     | SIGNATURE_ALGORITHM_INCONSISTENCY                                     |
// | kExpired            | CERT_HAS_EXPIRED, ERROR_IN_CERT_NOT_AFTER_FIELD                       |
// | kNotYetValid        | CERT_NOT_YET_VALID, ERROR_IN_CERT_NOT_BEFORE_FIELD                    |
// | kInvalidCa          | INVALID_CA, PATH_LENGTH_EXCEEDED, KEYUSAGE_NO_CERTSIGN,               |
// |                     | INVALID_NON_CA, PROXY_PATH_LENGTH_EXCEEDED,                           |
// |                     | PROXY_CERTIFICATES_NOT_ALLOWED, PATHLEN_INVALID_FOR_NON_CA,           |
// |                     | PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA,|
// |                     | CA_BCONS_NOT_CRITICAL, CA_CERT_MISSING_KEY_USAGE                      |
// | kChainTooLong       | CERT_CHAIN_TOO_LONG                                                   |
// | kNameConstraints    | PERMITTED_VIOLATION, EXCLUDED_VIOLATION, SUBTREE_MINMAX,              |
// |                     | UNSUPPORTED_CONSTRAINT_TYPE, UNSUPPORTED_CONSTRAINT_SYNTAX,           |
// |                     | UNSUPPORTED_NAME_SYNTAX, PROXY_SUBJECT_NAME_VIOLATION                 |
// | kRevoked            | CERT_REVOKED                                                          |
// | kRevocationUnknown  | UNABLE_TO_GET_CRL, UNABLE_TO_DECRYPT_CRL_SIGNATURE,                   |
// |                     | CRL_SIGNATURE_FAILURE, CRL_NOT_YET_VALID, CRL_HAS_EXPIRED,            |
// |                     | ERROR_IN_CRL_LAST_UPDATE_FIELD, ERROR_IN_CRL_NEXT_UPDATE_FIELD,       |
// |                     | UNABLE_TO_GET_CRL_ISSUER, KEYUSAGE_NO_CRL_SIGN,                       |
// |                     | UNHANDLED_CRITICAL_CRL_EXTENSION, DIFFERENT_CRL_SCOPE,                |
// |                     | CRL_PATH_VALIDATION_ERROR, OCSP_VERIFY_NEEDED, OCSP_VERIFY_FAILED,    |
// |                     | OCSP_CERT_UNKNOWN                                                     |
// | kPolicy             | NO_EXPLICIT_POLICY, INVALID_POLICY_EXTENSION                          |
// | kOther              | everything else, e.g. UNSPECIFIED, OUT_OF_MEM, INVALID_CALL,          |
// |                     | STORE_LOOKUP, UNHANDLED_CRITICAL_EXTENSION, INVALID_EXTENSION,        |
// |                     | INVALID_PURPOSE, RFC 3779 errors, SUITE_B_*,                          |
// |                     | HOSTNAME/EMAIL/IP_ADDRESS_MISMATCH, EE/CA_KEY_TOO_SMALL,              |
// |                     | CA_MD_TOO_WEAK, and the X509_STRICT profile checks that are not       |
// |                     | about CA-ness (ISSUER/SUBJECT_NAME_EMPTY, MISSING_AUTHORITY/          |
// |                     | SUBJECT_KEY_IDENTIFIER, EMPTY_SUBJECT_ALT_NAME,                       |
// |                     | EMPTY_SUBJECT_SAN_NOT_CRITICAL, AUTHORITY/SUBJECT_KEY_IDENTIFIER_     |
// |                     | CRITICAL, EXTENSIONS_REQUIRE_VERSION_3, EC_KEY_EXPLICIT_PARAMS,       |
// |                     | KEYUSAGE_NO_DIGITAL_SIGNATURE); unknown future codes too              |
// | kNone               | X509_V_OK                                                             |
#ifndef CERTGUARD_SERVER_X509_VERIFY_ERROR_H_
#define CERTGUARD_SERVER_X509_VERIFY_ERROR_H_

#include "absl/strings/string_view.h"
#include "server/x509/chain_verifier.h"

namespace certguard::x509 {

// The VerifyError for an X509_V_ERR_* code (table above).
VerifyError VerifyErrorFromOpenSsl(int x509_v_error);

// A stable upper-case name for logs and tests, e.g. "UNTRUSTED", "REVOCATION_UNKNOWN".
absl::string_view VerifyErrorName(VerifyError error);

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_VERIFY_ERROR_H_
