// Test-only PKI: generates keys, certificates and CRLs in-process with OpenSSL, so tests never
// depend on committed key material. Deterministic inputs (names, times, serials) give
// structurally identical certificates; keys are random.
#ifndef CERTGUARD_TESTS_TESTING_CERT_FACTORY_H_
#define CERTGUARD_TESTS_TESTING_CERT_FACTORY_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <openssl/x509.h>

#include "absl/time/time.h"

namespace certguard::testing {

// A fixed "now" for unit tests and the default validity window around it.
absl::Time TestNow();    // 2026-06-01T00:00:00Z
absl::Time Y(int year);  // <year>-01-01T00:00:00Z, for validity windows no clock reaches

// T built once per test binary, on first use, and never destroyed: the PKI that every test of a
// file shares (`const Pki& P() { return Shared<Pki>(); }`).
template <typename T>
const T& Shared() {
  static const T* const value = new T();
  return *value;
}
absl::Time TestNotBefore();  // 2025-01-01T00:00:00Z
absl::Time TestNotAfter();   // 2035-01-01T00:00:00Z

struct KeySpec {
  enum class Type { kRsa, kEc, kEd25519 };
  Type type = Type::kEc;
  int rsa_bits = 2048;
  std::string curve = "prime256v1";
  std::string rsa_exponent;  // decimal; empty = 65537
  static KeySpec Rsa(int bits = 2048) { return {Type::kRsa, bits, ""}; }
  static KeySpec RsaWithExponent(int bits, std::string exponent) { return {Type::kRsa, bits, "", std::move(exponent)}; }
  static KeySpec Ec(std::string curve = "prime256v1") { return {Type::kEc, 0, std::move(curve)}; }
  static KeySpec Ed25519() { return {Type::kEd25519, 0, ""}; }
};

struct CertSpec {
  std::string cn = "test";
  // Extra subject attributes in order, e.g. {{"O","Contoso"},{"OU","Payments"}}. They are
  // encoded before the CN, so the RFC 2253 form reads "CN=test,OU=Payments,O=Contoso".
  std::vector<std::pair<std::string, std::string>> subject_extra;
  KeySpec key;
  absl::Time not_before = TestNotBefore();
  absl::Time not_after = TestNotAfter();
  std::string serial_hex;              // empty = a fresh random 16-byte serial
  bool is_ca = false;                  // adds basicConstraints critical cA=TRUE (+ keyCertSign,cRLSign KU)
  int path_len = -1;                   // pathLenConstraint when >= 0
  bool basic_constraints = true;       // false: omit basicConstraints entirely
  std::vector<std::string> eku;        // names (clientAuth, serverAuth, ...) or OIDs; empty = no EKU ext
  std::vector<std::string> key_usage;  // names; empty = default (CA: keyCertSign,cRLSign; leaf: digitalSignature)
  bool omit_key_usage = false;
  std::vector<std::string> san_dns, san_uri, san_email, san_ip;
  int version = 3;                     // 1 = v1 certificate (no extensions)
  std::string digest = "sha256";       // signature digest; ignored for Ed25519
  bool subject_key_id = true;          // add SKI
  bool authority_key_id = true;        // add AKI (keyid) when issued by another certificate
  std::string crl_distribution_point;  // URI, optional
  std::string ocsp_url;                // AIA OCSP URI, optional
  // Further extensions in OpenSSL config syntax, added last in order, e.g.
  // {"certificatePolicies", "1.2.3.4"}, {"crlDistributionPoints", "dp"}; sections such as
  // "[dp]\nfullname=URI:http://x\nCRLissuer=dirName:ci\n[ci]\nCN=CRL Issuer" go into
  // `extension_sections`.
  std::vector<std::pair<std::string, std::string>> extensions;
  std::string extension_sections;
};

class TestCert;

// One revoked entry of a CRL.
struct CrlEntry {
  std::string serial_hex;
  absl::Time when = TestNotBefore();
  int reason = -1;                               // CRLReason code (1 = keyCompromise, 8 = removeFromCRL); -1 = none
  const TestCert* certificate_issuer = nullptr;  // indirect CRLs: the entry's certificateIssuer (subject DN)
};

struct CrlSpec {
  std::vector<CrlEntry> revoked;
  absl::Time this_update = TestNotBefore();
  absl::Time next_update = TestNotAfter();  // InfiniteFuture() = no nextUpdate
  long number = 1;                          // cRLNumber
  long delta_base = -1;                     // >= 0: a delta CRL whose deltaCRLIndicator is this base number
  const TestCert* issuer_name = nullptr;  // the CRL's issuer field: this certificate's subject (default: the signer's)
  // Extensions in OpenSSL config syntax, e.g. {"issuingDistributionPoint", "critical,@idp"} with
  // "[idp]\nfullname=URI:http://x\nonlysomereasons=keyCompromise" in `extension_sections`.
  std::vector<std::pair<std::string, std::string>> extensions;
  std::string extension_sections;
};

// A generated certificate with its private key.
class TestCert {
 public:
  const std::string& der() const { return der_; }
  const std::string& pem() const { return pem_; }          // one PEM block
  const std::string& key_pem() const { return key_pem_; }  // PKCS#8 PEM private key
  // PEM body without the BEGIN/END lines, with line breaks (the Node/Python seed format).
  std::string pem_body() const;
  std::string base64_der() const;  // single line
  std::string serial_hex() const;  // upper-case
  std::string sha256_hex() const;  // upper-case SHA-256(DER)
  std::string sha1_hex() const;
  // Opaque handles for the factory.
  struct Impl;
  std::shared_ptr<const Impl> impl() const { return impl_; }

 private:
  friend class CertFactory;
  std::string der_, pem_, key_pem_;
  std::shared_ptr<const Impl> impl_;
};

class CertFactory {
 public:
  static TestCert SelfSigned(const CertSpec& spec);
  static TestCert Issue(const CertSpec& spec, const TestCert& issuer);
  // A CRL signed by `issuer` revoking `revoked` (serial hex, revocation time).
  static std::string CrlPem(const TestCert& issuer, const std::vector<std::pair<std::string, absl::Time>>& revoked,
                            absl::Time this_update, absl::Time next_update);
  // A CRL as `spec` describes, signed by `signer`'s key (AKI = signer's key identifier), as PEM.
  static std::string Crl(const CrlSpec& spec, const TestCert& signer);
};

// A ready-made root -> intermediate -> leaf hierarchy (leaf has clientAuth EKU, a DNS and a URI SAN).
struct TestPki {
  TestCert root;
  TestCert intermediate;
  TestCert leaf;
};
TestPki MakePki(const KeySpec& key = KeySpec::Ec(), const std::string& leaf_cn = "client.example.com");

// `cert` changed by `edit` (on OpenSSL's parsed form), signed again with `signer`'s key
// (SHA-256), as DER: certificates no CertSpec can describe (odd extensions, bad encodings).
// Aborts the test binary when OpenSSL fails.
std::string ResignedDer(const TestCert& cert, const TestCert& signer, const std::function<void(X509*)>& edit);

// Writes `contents` to `path`, creating parent directories. Aborts the test binary on failure.
void WriteFile(const std::string& path, const std::string& contents);
// A fresh empty directory under the test's temporary directory.
std::string MakeTempDir(const std::string& prefix);

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_CERT_FACTORY_H_
