#include "server/x509/trust_store.h"

#include <algorithm>
#include <utility>

#include <openssl/err.h>

#include "server/common/status_macros.h"
#include "server/x509/openssl_ptr.h"
#include "server/x509/openssl_util.h"

namespace certguard::x509 {
namespace {

// A stack of borrowed X509 pointers (the Certificates keep ownership).
STACK_OF(X509) * BorrowedStack(const std::vector<CertificatePtr>& certs) {
  STACK_OF(X509)* sk = sk_X509_new_reserve(nullptr, static_cast<int>(certs.size()));
  if (sk == nullptr) return nullptr;
  for (const CertificatePtr& cert : certs) sk_X509_push(sk, cert->raw());  // reserved: no fail
  return sk;
}

// Signs the unconstrained stand-ins. Any key does: OpenSSL never verifies a trust anchor's own
// signature (self-signed: X509_V_FLAG_CHECK_SS_SIGNATURE is not set; partial chain: its
// issuer is not looked for).
EVP_PKEY* StandInSigningKey() {
  static EVP_PKEY* const key = EVP_EC_gen("P-256");
  return key;
}

bool CopyExtension(X509* from, X509* to, int nid) {
  const int i = X509_get_ext_by_NID(from, nid, -1);
  return i < 0 || X509_add_ext(to, X509_get_ext(from, i), -1) == 1;  // X509_add_ext copies
}

// `anchor` reduced to its name and key (AnchorOptions::enforce_constraints = false): same
// subject, issuer, serial, validity, public key and key identifiers; basicConstraints cA
// without pathLenConstraint; keyUsage keyCertSign and cRLSign; no other extension.
absl::StatusOr<X509Ptr> UnconstrainedStandIn(X509* anchor) {
  X509Ptr x(X509_new());
  EVP_PKEY* anchor_key = X509_get0_pubkey(anchor);
  EVP_PKEY* signer = StandInSigningKey();
  BasicConstraintsPtr bc(BASIC_CONSTRAINTS_new());
  Asn1BitStringPtr ku(ASN1_BIT_STRING_new());
  if (x == nullptr || anchor_key == nullptr || signer == nullptr || bc == nullptr || ku == nullptr) {
    return internal::InvalidWithOpenSslErrors("cannot build an unconstrained trust anchor");
  }
  bc->ca = 1;
  const bool ok =
      X509_set_version(x.get(), 2) == 1 &&
      X509_set_serialNumber(x.get(), const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(anchor))) == 1 &&
      X509_set_issuer_name(x.get(), X509_get_issuer_name(anchor)) == 1 &&
      X509_set_subject_name(x.get(), X509_get_subject_name(anchor)) == 1 &&
      X509_set1_notBefore(x.get(), X509_get0_notBefore(anchor)) == 1 &&
      X509_set1_notAfter(x.get(), X509_get0_notAfter(anchor)) == 1 && X509_set_pubkey(x.get(), anchor_key) == 1 &&
      X509_add1_ext_i2d(x.get(), NID_basic_constraints, bc.get(), 1, X509V3_ADD_DEFAULT) == 1 &&
      ASN1_BIT_STRING_set_bit(ku.get(), 5, 1) == 1 &&  // keyCertSign
      ASN1_BIT_STRING_set_bit(ku.get(), 6, 1) == 1 &&  // cRLSign
      X509_add1_ext_i2d(x.get(), NID_key_usage, ku.get(), 1, X509V3_ADD_DEFAULT) == 1 &&
      CopyExtension(anchor, x.get(), NID_subject_key_identifier) &&
      CopyExtension(anchor, x.get(), NID_authority_key_identifier) && X509_sign(x.get(), signer, EVP_sha256()) > 0;
  if (!ok) return internal::InvalidWithOpenSslErrors("cannot build an unconstrained trust anchor");
  // Re-parse so that OpenSSL's cached extension flags describe the new encoding.
  unsigned char* der = nullptr;
  const int len = i2d_X509(x.get(), &der);
  if (len <= 0) return internal::InvalidWithOpenSslErrors("cannot encode an unconstrained trust anchor");
  const unsigned char* p = der;
  X509Ptr parsed(d2i_X509(nullptr, &p, len));
  OPENSSL_free(der);
  if (parsed == nullptr) return internal::InvalidWithOpenSslErrors("cannot parse an unconstrained trust anchor");
  return parsed;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const TrustStore>> TrustStore::Create(std::vector<CertificatePtr> anchors,
                                                                     std::vector<CertificatePtr> intermediates,
                                                                     AnchorOptions options) {
  if (anchors.empty()) return absl::InvalidArgumentError("trust store needs at least one anchor");
  for (const auto& list : {&anchors, &intermediates}) {
    for (const CertificatePtr& cert : *list) {
      if (cert == nullptr) return absl::InvalidArgumentError("null certificate in trust store");
    }
  }
  ERR_clear_error();
  X509StorePtr store(X509_STORE_new());
  if (store == nullptr) return internal::InvalidWithOpenSslErrors("X509_STORE_new");
  // The X509 objects that stand for the anchors; each holds a reference of its own.
  std::vector<X509Ptr> objects;
  for (const CertificatePtr& anchor : anchors) {
    X509Ptr object;
    if (!options.enforce_constraints && X509_check_ca(anchor->raw()) != 0) {
      ASSIGN_OR_RETURN(object, UnconstrainedStandIn(anchor->raw()));
    } else if (X509_up_ref(anchor->raw()) == 1) {
      object.reset(anchor->raw());
    } else {
      return internal::InvalidWithOpenSslErrors("X509_up_ref");
    }
    if (X509_STORE_add_cert(store.get(), object.get()) != 1) {  // takes its own reference
      return internal::InvalidWithOpenSslErrors("X509_STORE_add_cert");
    }
    objects.push_back(std::move(object));
  }
  std::vector<X509*> anchor_objects;
  for (X509Ptr& object : objects) anchor_objects.push_back(object.release());
  std::shared_ptr<TrustStore> ts(new TrustStore(store.release(), std::move(anchors), std::move(intermediates),
                                                std::move(anchor_objects), options));
  if (ts->anchor_stack_ == nullptr || ts->intermediate_stack_ == nullptr) {
    return absl::ResourceExhaustedError("out of memory building trust store");
  }
  return std::shared_ptr<const TrustStore>(std::move(ts));
}

TrustStore::TrustStore(X509_STORE* store, std::vector<CertificatePtr> anchors,
                       std::vector<CertificatePtr> intermediates, std::vector<X509*> anchor_objects,
                       AnchorOptions options)
    : store_(store),
      options_(options),
      anchor_objects_(std::move(anchor_objects)),
      anchors_(std::move(anchors)),
      intermediates_(std::move(intermediates)) {
  anchor_stack_ = sk_X509_new_reserve(nullptr, static_cast<int>(anchor_objects_.size()));
  if (anchor_stack_ != nullptr) {
    for (X509* x : anchor_objects_) sk_X509_push(anchor_stack_, x);  // reserved: no fail
  }
  intermediate_stack_ = BorrowedStack(intermediates_);
  anchor_sha256_.reserve(anchors_.size());
  for (const CertificatePtr& anchor : anchors_) anchor_sha256_.push_back(anchor->info().sha256_hex);
  std::sort(anchor_sha256_.begin(), anchor_sha256_.end());
}

TrustStore::~TrustStore() {
  sk_X509_free(anchor_stack_);
  for (X509* x : anchor_objects_) X509_free(x);
  sk_X509_free(intermediate_stack_);
  X509_STORE_free(store_);
}

bool TrustStore::IsAnchor(const Certificate& cert) const {
  return std::binary_search(anchor_sha256_.begin(), anchor_sha256_.end(), cert.info().sha256_hex);
}

}  // namespace certguard::x509

namespace certguard::x509 {

CertificatePtr TrustStore::OwnerOf(const X509* x) const {
  for (size_t i = 0; i < anchor_objects_.size(); ++i) {
    if (anchor_objects_[i] == x) return anchors_[i];
  }
  for (const CertificatePtr& c : intermediates_) {
    if (c->raw() == x) return c;
  }
  return nullptr;
}

}  // namespace certguard::x509
