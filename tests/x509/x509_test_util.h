// Helpers shared by the x509 tests: turning cert_factory output into x509 objects.
#ifndef CERTGUARD_TESTS_X509_X509_TEST_UTIL_H_
#define CERTGUARD_TESTS_X509_X509_TEST_UTIL_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/x509/certificate.h"
#include "server/x509/chain_verifier.h"
#include "server/x509/crl.h"
#include "server/x509/verify_error.h"
#include "tests/testing/cert_factory.h"

namespace certguard::x509::testing {

// Parses a factory certificate; a failure is a test failure and yields nullptr.
inline CertificatePtr Parse(const certguard::testing::TestCert& cert) {
  auto parsed = Certificate::FromDer(cert.der());
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : nullptr;
}

inline CertificatePtr ParseDer(const std::string& der) {
  auto parsed = Certificate::FromDer(der);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : nullptr;
}

inline std::vector<CrlPtr> ParseCrls(const std::string& bytes) {
  auto parsed = Crl::Parse(bytes);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : std::vector<CrlPtr>{};
}

// Expects `r` to have failed with `want` (kNone: to have succeeded); a mismatch shows the message.
inline void ExpectVerifyError(const VerifyResult& r, VerifyError want) {
  EXPECT_EQ(VerifyErrorName(r.error), VerifyErrorName(want)) << r.message;
}

// Flips one bit of the last byte, which for certificates and CRLs lies in the signature value.
inline std::string TamperLastByte(std::string der) {
  der.back() = static_cast<char>(der.back() ^ 0x01);
  return der;
}

}  // namespace certguard::x509::testing

#endif  // CERTGUARD_TESTS_X509_X509_TEST_UTIL_H_
