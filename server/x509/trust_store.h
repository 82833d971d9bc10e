// A policy's trust material, built once at load and shared read-only by every request.
#ifndef CERTGUARD_SERVER_X509_TRUST_STORE_H_
#define CERTGUARD_SERVER_X509_TRUST_STORE_H_

#include <openssl/x509_vfy.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/x509/certificate.h"

namespace certguard::x509 {

class TrustStore {
 public:
  // anchors: trusted certificates (roots or, with partial chains, intermediates).
  // intermediates: extra untrusted path-building material configured by the policy.
  // Fails (InvalidArgument) when anchors is empty.
  static absl::StatusOr<std::shared_ptr<const TrustStore>> Create(
      std::vector<CertificatePtr> anchors, std::vector<CertificatePtr> intermediates);

  ~TrustStore();
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  // Thread-safe for concurrent X509_verify_cert use (read-only after construction).
  X509_STORE* store() const { return store_; }
  const std::vector<CertificatePtr>& anchors() const { return anchors_; }
  const std::vector<CertificatePtr>& intermediates() const { return intermediates_; }
  // True when `cert` (by SHA-256 of its DER) is one of the anchors.
  bool IsAnchor(const Certificate& cert) const;

  // Prebuilt stacks of the anchors' and intermediates' X509 objects (owned by the
  // Certificates above), shared read-only by every verification: callers must neither modify
  // nor free them. The anchor stack serves as a lock-free trusted stack
  // (X509_STORE_CTX_set0_trusted_stack); the intermediate stack is the untrusted pool.
  STACK_OF(X509) * anchor_stack() const { return anchor_stack_; }
  STACK_OF(X509) * intermediate_stack() const { return intermediate_stack_; }

 private:
  TrustStore(X509_STORE* store, std::vector<CertificatePtr> anchors,
             std::vector<CertificatePtr> intermediates);
  X509_STORE* store_;
  std::vector<CertificatePtr> anchors_;
  std::vector<CertificatePtr> intermediates_;
  STACK_OF(X509) * anchor_stack_ = nullptr;        // borrowed pointers
  STACK_OF(X509) * intermediate_stack_ = nullptr;  // borrowed pointers
  std::vector<std::string> anchor_sha256_;         // sorted
};

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_TRUST_STORE_H_
