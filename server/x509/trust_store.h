// A policy's trust material, built once at load and shared read-only by every request.
#ifndef CERTGUARD_SERVER_X509_TRUST_STORE_H_
#define CERTGUARD_SERVER_X509_TRUST_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include <openssl/x509_vfy.h>

#include "absl/status/statusor.h"
#include "server/x509/certificate.h"

namespace certguard::x509 {

// What an anchor's own certificate contributes beyond its name and key (RFC 5937; BoringSSL's
// TRUSTED_ANCHOR vs TRUSTED_ANCHOR_WITH_CONSTRAINTS).
struct AnchorOptions {
  // true: the anchor's basicConstraints (pathLenConstraint), name constraints, policy
  // constraints, inhibitAnyPolicy, policy mappings and critical extensions apply to the path,
  // as they do in OpenSSL. false: a CA anchor is its subject name and public key only; the
  // verifier sees an unconstrained CA certificate with the same name, key, key identifiers
  // and validity (whose signature OpenSSL never checks: an anchor is trusted, not verified).
  bool enforce_constraints = true;
};

class TrustStore {
 public:
  // anchors: trusted certificates (roots or, with partial chains, intermediates).
  // intermediates: extra untrusted path-building material configured by the policy.
  // Fails (InvalidArgument) when anchors is empty.
  static absl::StatusOr<std::shared_ptr<const TrustStore>> Create(std::vector<CertificatePtr> anchors,
                                                                  std::vector<CertificatePtr> intermediates,
                                                                  AnchorOptions options = {});

  ~TrustStore();
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  // Thread-safe for concurrent X509_verify_cert use (read-only after construction).
  X509_STORE* store() const { return store_; }
  const std::vector<CertificatePtr>& anchors() const { return anchors_; }
  const std::vector<CertificatePtr>& intermediates() const { return intermediates_; }
  // True when `cert` (by SHA-256 of its DER) is one of the anchors.
  bool IsAnchor(const Certificate& cert) const;
  const AnchorOptions& anchor_options() const { return options_; }
  // The anchor or intermediate whose X509 object (as in the stacks below) is `x`; null if none.
  CertificatePtr OwnerOf(const X509* x) const;

  // Prebuilt stacks of the anchors' and intermediates' X509 objects (owned by the
  // Certificates above), shared read-only by every verification: callers must neither modify
  // nor free them. The anchor stack serves as a lock-free trusted stack
  // (X509_STORE_CTX_set0_trusted_stack); the intermediate stack is the untrusted pool.
  // With enforce_constraints=false the anchor stack holds the unconstrained stand-ins.
  STACK_OF(X509) * anchor_stack() const { return anchor_stack_; }
  STACK_OF(X509) * intermediate_stack() const { return intermediate_stack_; }

 private:
  TrustStore(X509_STORE* store, std::vector<CertificatePtr> anchors, std::vector<CertificatePtr> intermediates,
             std::vector<X509*> anchor_objects, AnchorOptions options);
  X509_STORE* store_;
  AnchorOptions options_;
  std::vector<X509*> anchor_objects_;  // owned references; parallel to anchors_
  std::vector<CertificatePtr> anchors_;
  std::vector<CertificatePtr> intermediates_;
  STACK_OF(X509) * anchor_stack_ = nullptr;        // borrowed pointers
  STACK_OF(X509) * intermediate_stack_ = nullptr;  // borrowed pointers
  std::vector<std::string> anchor_sha256_;         // sorted
};

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_TRUST_STORE_H_
