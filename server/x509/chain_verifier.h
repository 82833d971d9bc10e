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
  kUntrusted,  // no path to an anchor (unknown issuer, self-signed not an anchor, ...)
  kSignatureInvalid,
  kExpired,
  kNotYetValid,
  kInvalidCa,     // issuer not a CA, pathLen exceeded, keyCertSign missing, ...
  kChainTooLong,  // path longer than max_depth
  kNameConstraints,
  kRevoked,
  kRevocationUnknown,  // no usable CRL for a certificate in scope, or CRL past nextUpdate (fail closed)
  kPolicy,             // RFC 5280 §6.1 certificate policy processing rejected the path
  kOther,              // any other OpenSSL verification error (message says which)
};

// kEndCertificate: the leaf only. kEntireChain: every path certificate, the anchor included
// (a self-signed root then needs a CRL it issued). kExcludeRoot: every path certificate except
// the last one (the anchor, whether a root or, with partial chains, an intermediate).
enum class RevocationScope { kEndCertificate, kEntireChain, kExcludeRoot };

struct VerifyOptions {
  absl::Time now;          // validation time (injected; never read from a clock)
  bool check_time = true;  // validity periods of every path certificate (CRL
                           // freshness is checked against `now` regardless)
  absl::Duration clock_skew = absl::ZeroDuration();
  int max_depth = 5;                // max certificates in the path, leaf and anchor included
  bool allow_partial_chain = true;  // a non-self-signed anchor ends the path
  // Revocation: checked only when `crls` is non-empty.
  std::span<const CrlPtr> crls;
  RevocationScope revocation_scope = RevocationScope::kEndCertificate;
  bool crl_soft_fail = false;  // stale CRL -> pass (reported) instead of kRevocationUnknown
  // RFC 5280 §6.1.1 user-initial inputs. Policy processing (§6.1.3 d-f, §6.1.4, §6.1.5) always
  // runs, so the constraints that CA certificates carry are always enforced.
  std::span<const std::string> initial_policy_set;  // dotted OIDs; empty = {anyPolicy}
  bool initial_explicit_policy = false;
  bool initial_policy_mapping_inhibit = false;
  bool initial_any_policy_inhibit = false;
  // The trust anchor's own validity period is checked (BoringSSL's enforce_anchor_expiry).
  // A leaf that is itself the anchor is always checked.
  bool enforce_anchor_expiry = true;
};

struct VerifyResult {
  VerifyError error = VerifyError::kNone;
  std::string message;               // OpenSSL's reason plus the failing certificate's subject
  int error_depth = -1;              // 0 = leaf
  std::vector<CertificatePtr> path;  // leaf first, anchor last; filled on success
  absl::Time revocation_time;        // when error == kRevoked
  bool crl_stale = false;            // a stale CRL was accepted under crl_soft_fail
  // The path's valid policy set after §6.1.5 (user-constrained), dotted OIDs, sorted; empty when
  // no policy is valid for the path (allowed unless explicit policy is required). "2.5.29.32.0"
  // (anyPolicy) when every policy is.
  std::vector<std::string> valid_policies;
  bool ok() const { return error == VerifyError::kNone; }
};

// Revocation follows RFC 5280 §6.3 through OpenSSL's extended CRL support: complete CRLs
// (issuing distribution point scope, onlySomeReasons, indirect CRLs with cRLIssuer and
// certificateIssuer entries, CRLs signed by another key of the issuing CA whose certificate
// chains to the same anchor) and delta CRLs applied to their base. A delta CRL alone is not a
// complete CRL. The certificate of a CRL signer that is not on the path must be among
// `untrusted` or the store's intermediates.
//
// Thread-safe: uses only read-only shared state plus a per-call X509_STORE_CTX.
VerifyResult VerifyChain(const Certificate& leaf, std::span<const CertificatePtr> untrusted, const TrustStore& store,
                         const VerifyOptions& options);

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_CHAIN_VERIFIER_H_
