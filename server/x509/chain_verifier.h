// Builds and verifies a certification path from a leaf to one of a TrustStore's anchors.
#ifndef CERTGUARD_SERVER_X509_CHAIN_VERIFIER_H_
#define CERTGUARD_SERVER_X509_CHAIN_VERIFIER_H_

#include <span>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/x509/certificate.h"
#include "server/x509/crl.h"
#include "server/x509/trust_store.h"

namespace certguard::x509 {

enum class VerifyError {
  kNone = 0,
  kUntrusted,          // no path to an anchor (unknown issuer, self-signed not an anchor, ...)
  kSignatureInvalid,
  kExpired,
  kNotYetValid,
  kInvalidCa,          // issuer not a CA, pathLen exceeded, keyCertSign missing, ...
  kChainTooLong,       // path longer than max_depth
  kNameConstraints,
  kRevoked,
  kRevocationUnknown,  // no usable CRL for a certificate in scope, or CRL past nextUpdate (fail closed)
  kOther,              // any other OpenSSL verification error (message says which)
};

// kEndCertificate: the leaf only. kEntireChain: every path certificate, the anchor included
// (a self-signed root then needs a CRL it issued). kExcludeRoot: every path certificate except
// the last one (the anchor, whether a root or, with partial chains, an intermediate).
enum class RevocationScope { kEndCertificate, kEntireChain, kExcludeRoot };

struct VerifyOptions {
  absl::Time now;                       // validation time (injected; never read from a clock)
  bool check_time = true;               // validity periods of every path certificate (CRL
                                        // freshness is checked against `now` regardless)
  absl::Duration clock_skew = absl::ZeroDuration();
  int max_depth = 5;                    // max certificates in the path, leaf and anchor included
  bool allow_partial_chain = true;      // a non-self-signed anchor ends the path
  // Revocation: checked only when `crls` is non-empty.
  std::span<const CrlPtr> crls;
  RevocationScope revocation_scope = RevocationScope::kEndCertificate;
  bool crl_soft_fail = false;           // stale CRL -> pass (reported) instead of kRevocationUnknown
};

struct VerifyResult {
  VerifyError error = VerifyError::kNone;
  std::string message;          // OpenSSL's reason plus the failing certificate's subject
  int error_depth = -1;         // 0 = leaf
  std::vector<CertificatePtr> path;  // leaf first, anchor last; filled on success
  absl::Time revocation_time;   // when error == kRevoked
  bool crl_stale = false;       // a stale CRL was accepted under crl_soft_fail
  bool ok() const { return error == VerifyError::kNone; }
};

// Thread-safe: uses only read-only shared state plus a per-call X509_STORE_CTX.
VerifyResult VerifyChain(const Certificate& leaf, std::span<const CertificatePtr> untrusted,
                         const TrustStore& store, const VerifyOptions& options);

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_CHAIN_VERIFIER_H_
