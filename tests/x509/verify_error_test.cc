#include "server/x509/verify_error.h"

#include <set>
#include <string>

#include <openssl/x509_vfy.h>

#include "gtest/gtest.h"

namespace certguard::x509 {
namespace {

struct MapCase {
  int code;
  VerifyError want;
};

TEST(VerifyErrorTest, Mapping) {
  for (const MapCase& c : {
           MapCase{X509_V_OK, VerifyError::kNone},
           MapCase{X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, VerifyError::kUntrusted},
           MapCase{X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, VerifyError::kUntrusted},
           MapCase{X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, VerifyError::kUntrusted},
           MapCase{X509_V_ERR_CERT_SIGNATURE_FAILURE, VerifyError::kSignatureInvalid},
           MapCase{X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE, VerifyError::kSignatureInvalid},
           MapCase{X509_V_ERR_CERT_HAS_EXPIRED, VerifyError::kExpired},
           MapCase{X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD, VerifyError::kExpired},
           MapCase{X509_V_ERR_CERT_NOT_YET_VALID, VerifyError::kNotYetValid},
           MapCase{X509_V_ERR_INVALID_CA, VerifyError::kInvalidCa},
           MapCase{X509_V_ERR_PATH_LENGTH_EXCEEDED, VerifyError::kInvalidCa},
           MapCase{X509_V_ERR_KEYUSAGE_NO_CERTSIGN, VerifyError::kInvalidCa},
           MapCase{X509_V_ERR_CERT_CHAIN_TOO_LONG, VerifyError::kChainTooLong},
           MapCase{X509_V_ERR_PERMITTED_VIOLATION, VerifyError::kNameConstraints},
           MapCase{X509_V_ERR_EXCLUDED_VIOLATION, VerifyError::kNameConstraints},
           MapCase{X509_V_ERR_CERT_REVOKED, VerifyError::kRevoked},
           MapCase{X509_V_ERR_UNABLE_TO_GET_CRL, VerifyError::kRevocationUnknown},
           MapCase{X509_V_ERR_CRL_HAS_EXPIRED, VerifyError::kRevocationUnknown},
           MapCase{X509_V_ERR_CRL_SIGNATURE_FAILURE, VerifyError::kRevocationUnknown},
           MapCase{X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER, VerifyError::kRevocationUnknown},
           MapCase{X509_V_ERR_NO_EXPLICIT_POLICY, VerifyError::kPolicy},
           MapCase{X509_V_ERR_INVALID_POLICY_EXTENSION, VerifyError::kPolicy},
           MapCase{X509_V_ERR_UNSPECIFIED, VerifyError::kOther},
           MapCase{X509_V_ERR_INVALID_PURPOSE, VerifyError::kOther},
           MapCase{X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, VerifyError::kOther},
           MapCase{X509_V_ERR_HOSTNAME_MISMATCH, VerifyError::kOther},
           MapCase{12345, VerifyError::kOther},
       }) {
    EXPECT_EQ(VerifyErrorName(VerifyErrorFromOpenSsl(c.code)), VerifyErrorName(c.want)) << c.code;
  }
}

TEST(VerifyErrorTest, EveryKnownCodeMapsAndNamesAreDistinct) {
  std::set<std::string> names;
  for (int code = 0; code <= 200; ++code) {
    names.insert(std::string(VerifyErrorName(VerifyErrorFromOpenSsl(code))));
  }
  EXPECT_EQ(names.size(), 12u);  // every VerifyError is reachable from some OpenSSL code
}

}  // namespace
}  // namespace certguard::x509
