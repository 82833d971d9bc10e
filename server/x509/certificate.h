// x509/: OpenSSL-backed certificates, trust stores and chain verification.
//
// A Certificate is parsed once from DER and is immutable afterwards; every field a policy or a
// response needs is extracted at parse time into CertificateInfo. Instances are shared as
// shared_ptr<const Certificate> and are safe to use from many threads.
#ifndef CERTGUARD_SERVER_X509_CERTIFICATE_H_
#define CERTGUARD_SERVER_X509_CERTIFICATE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/x509/strict_finding.h"
#include "server/x509/strict_profile_memo.h"

namespace certguard::x509 {

// Key usage bits (RFC 5280 order), as a bit set.
enum KeyUsageBit : uint32_t {
  kDigitalSignature = 1u << 0,
  kNonRepudiation = 1u << 1,
  kKeyEncipherment = 1u << 2,
  kDataEncipherment = 1u << 3,
  kKeyAgreement = 1u << 4,
  kKeyCertSign = 1u << 5,
  kCrlSign = 1u << 6,
  kEncipherOnly = 1u << 7,
  kDecipherOnly = 1u << 8,
};

// Largest DER certificate FromDer accepts; larger input is refused before parsing.
inline constexpr size_t kMaxCertificateDerBytes = 64 * 1024;
// Largest RSA/DSA modulus FromDer accepts (bounds the cost of any signature check).
inline constexpr int kMaxPublicKeyBits = 16384;

struct SubjectAltNames {
  std::vector<std::string> dns;
  std::vector<std::string> uri;
  std::vector<std::string> email;
  std::vector<std::string> ip;  // textual: "192.0.2.1", "2001:db8::1"
};

// Everything extracted from one certificate at parse time.
struct CertificateInfo {
  int version = 0;         // 1, 2 or 3
  std::string subject_dn;  // RFC 2253
  std::string issuer_dn;   // RFC 2253
  std::string subject_cn;  // first CN, empty if none
  std::string issuer_cn;
  std::vector<std::string> subject_o, subject_ou, issuer_o, issuer_ou;
  std::string serial_hex;          // upper-case hex, no separators, no leading zeros (0 -> "00")
  std::string sha1_hex;            // upper-case hex of SHA-1(DER)
  std::string sha256_hex;          // upper-case hex of SHA-256(DER)
  std::string spki_sha256_base64;  // base64 SHA-256 of the DER SubjectPublicKeyInfo
  absl::Time not_before;
  absl::Time not_after;
  std::string key_algorithm;  // "RSA", "RSA-PSS", "EC", "ED25519", "ED448", "DSA", ...
  int key_bits = 0;
  std::string key_curve;            // OpenSSL short name for EC keys ("prime256v1"), else empty
  std::string signature_algorithm;  // OpenSSL long name, e.g. "sha256WithRSAEncryption"
  std::string signature_digest;     // "sha1", "sha256", ... ; empty for Ed25519/unknown
  SubjectAltNames sans;
  bool is_ca = false;  // basicConstraints cA=TRUE
  int path_len = -1;   // pathLenConstraint, -1 when absent
  bool has_key_usage = false;
  uint32_t key_usage = 0;  // KeyUsageBit set, valid when has_key_usage
  bool has_eku = false;
  std::vector<std::string> eku_oids;  // dotted OIDs
  bool self_issued = false;           // subject == issuer (Certificate::self_signed() checks the signature)
};

// Always owned by a shared_ptr (the factories are the only way to create one), so
// shared_from_this() is valid on any instance. Logically immutable: the one mutable part is the
// memo of CheckCertificateProfile's per-role results (strict_profile_memo.h), which is
// thread-safe and invisible except through that function.
class Certificate : public std::enable_shared_from_this<Certificate> {
 public:
  // Parses one DER certificate. Trailing bytes, a non-DER outer encoding, input larger than
  // kMaxCertificateDerBytes, an undecodable public key or extension, an RSA/DSA key larger than
  // kMaxPublicKeyBits, an RSA public exponent above 2^32 or below 3 (BoringSSL and Go refuse
  // them too; a huge exponent makes each signature check cost milliseconds), or an embedded NUL in a name or SAN ->
  // InvalidArgument.
  static absl::StatusOr<std::shared_ptr<const Certificate>> FromDer(absl::string_view der);
  // Parses every CERTIFICATE block of a PEM bundle (at least one) -> InvalidArgument otherwise.
  static absl::StatusOr<std::vector<std::shared_ptr<const Certificate>>> FromPemBundle(absl::string_view pem);

  ~Certificate();
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;

  // The OpenSSL object, owned by this Certificate. Callers that keep it must X509_up_ref it.
  X509* raw() const { return x509_; }
  const std::string& der() const { return der_; }
  const CertificateInfo& info() const { return info_; }
  // Self-issued and its signature verifies with its own key. Checked on first use, never when
  // parsing: no signature of a certificate from a header is checked before the policy's key
  // rules have passed it (docs/hardening.md). Thread-safe.
  bool self_signed() const;
  // Heap bytes this object holds, estimated (OpenSSL's decoded certificate, the DER copy and the
  // extracted fields; tests/x509/certificate_cache_test.cc checks it against malloc's figures).
  // What the parsed-certificate cache counts against its byte budget.
  size_t ApproximateBytes() const;

 private:
  // The only user of strict_profile_ (strict_checks.cc fills it with its own computation).
  friend std::optional<StrictFinding> CheckCertificateProfile(const Certificate& cert, PathRole role);

  Certificate(X509* x509, std::string der, CertificateInfo info);
  X509* x509_;
  std::string der_;
  CertificateInfo info_;
  StrictProfileMemo strict_profile_;
  mutable std::once_flag self_signed_once_;
  mutable bool self_signed_ = false;
};

using CertificatePtr = std::shared_ptr<const Certificate>;

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_CERTIFICATE_H_
