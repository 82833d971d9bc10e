#include "server/x509/trust_store.h"

#include <openssl/err.h>

#include <algorithm>
#include <utility>

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

}  // namespace

absl::StatusOr<std::shared_ptr<const TrustStore>> TrustStore::Create(
    std::vector<CertificatePtr> anchors, std::vector<CertificatePtr> intermediates) {
  if (anchors.empty()) return absl::InvalidArgumentError("trust store needs at least one anchor");
  for (const auto& list : {&anchors, &intermediates}) {
    for (const CertificatePtr& cert : *list) {
      if (cert == nullptr) return absl::InvalidArgumentError("null certificate in trust store");
    }
  }
  ERR_clear_error();
  X509StorePtr store(X509_STORE_new());
  if (store == nullptr) return internal::InvalidWithOpenSslErrors("X509_STORE_new");
  for (const CertificatePtr& anchor : anchors) {
    if (X509_STORE_add_cert(store.get(), anchor->raw()) != 1) {  // takes its own reference
      return internal::InvalidWithOpenSslErrors("X509_STORE_add_cert");
    }
  }
  std::shared_ptr<TrustStore> ts(
      new TrustStore(store.release(), std::move(anchors), std::move(intermediates)));
  if (ts->anchor_stack_ == nullptr || ts->intermediate_stack_ == nullptr) {
    return absl::ResourceExhaustedError("out of memory building trust store");
  }
  return std::shared_ptr<const TrustStore>(std::move(ts));
}

TrustStore::TrustStore(X509_STORE* store, std::vector<CertificatePtr> anchors,
                       std::vector<CertificatePtr> intermediates)
    : store_(store), anchors_(std::move(anchors)), intermediates_(std::move(intermediates)) {
  anchor_stack_ = BorrowedStack(anchors_);
  intermediate_stack_ = BorrowedStack(intermediates_);
  anchor_sha256_.reserve(anchors_.size());
  for (const CertificatePtr& anchor : anchors_) anchor_sha256_.push_back(anchor->info().sha256_hex);
  std::sort(anchor_sha256_.begin(), anchor_sha256_.end());
}

TrustStore::~TrustStore() {
  sk_X509_free(anchor_stack_);
  sk_X509_free(intermediate_stack_);
  X509_STORE_free(store_);
}

bool TrustStore::IsAnchor(const Certificate& cert) const {
  return std::binary_search(anchor_sha256_.begin(), anchor_sha256_.end(), cert.info().sha256_hex);
}

}  // namespace certguard::x509
