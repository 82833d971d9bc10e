// A parsed certificate revocation list, loaded once with the registry.
#ifndef CERTGUARD_SERVER_X509_CRL_H_
#define CERTGUARD_SERVER_X509_CRL_H_

#include <memory>
#include <vector>

#include <openssl/x509.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace certguard::x509 {

class Crl {
 public:
  // Parses one or more CRLs from PEM ("X509 CRL" blocks) or a single DER CRL.
  static absl::StatusOr<std::vector<std::shared_ptr<const Crl>>> Parse(absl::string_view bytes);

  ~Crl();
  Crl(const Crl&) = delete;
  Crl& operator=(const Crl&) = delete;

  X509_CRL* raw() const { return crl_; }
  absl::Time this_update() const { return this_update_; }
  // absl::InfiniteFuture() when the CRL has no nextUpdate.
  absl::Time next_update() const { return next_update_; }
  // cRLNumber, null when absent. Owned by this object.
  const ASN1_INTEGER* number() const { return number_; }
  // deltaCRLIndicator's base CRL number; null for a complete CRL. Owned by this object.
  const ASN1_INTEGER* delta_base() const { return delta_base_; }

 private:
  explicit Crl(X509_CRL* crl);
  X509_CRL* crl_;
  ASN1_INTEGER* number_ = nullptr;
  ASN1_INTEGER* delta_base_ = nullptr;
  absl::Time this_update_;
  absl::Time next_update_;
};

using CrlPtr = std::shared_ptr<const Crl>;

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_CRL_H_
