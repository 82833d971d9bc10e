#include "server/x509/chain_verifier.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <string>
#include <utility>

#include "server/x509/openssl_ptr.h"
#include "server/x509/openssl_util.h"
#include "server/x509/verify_error.h"

namespace certguard::x509 {
namespace {

constexpr size_t kMaxSubjectInMessage = 256;

// Per-call state shared with the verify callback through the ctx's app data.
struct CallState {
  const VerifyOptions* options = nullptr;
  // First error that was not tolerated.
  int x509_error = X509_V_OK;
  int depth = -1;
  X509* cert = nullptr;  // borrowed from the ctx's chain; valid until the ctx is freed
  bool has_revocation_time = false;
  absl::Time revocation_time;
  bool crl_stale = false;
};

bool IsRevocationError(int err) {
  return err == X509_V_ERR_CERT_REVOKED ||
         VerifyErrorFromOpenSsl(err) == VerifyError::kRevocationUnknown;
}

// ASN1_TIME_cmp_time_t: -1 before, 0 equal, 1 after, -2 error.
bool After(const ASN1_TIME* t, absl::Time when) {
  return t != nullptr && ASN1_TIME_cmp_time_t(t, absl::ToTimeT(when)) == 1;
}
bool AtOrBefore(const ASN1_TIME* t, absl::Time when) {
  const int c = t == nullptr ? -2 : ASN1_TIME_cmp_time_t(t, absl::ToTimeT(when));
  return c == -1 || c == 0;
}

// Decides whether an error reported by OpenSSL is acceptable under the options. Mirrors
// OpenSSL's own comparisons (valid while notBefore <= t < notAfter) with t shifted by the skew.
bool Tolerated(const CallState& st, X509_STORE_CTX* ctx, int err, int depth, X509* cert) {
  const VerifyOptions& opt = *st.options;
  const absl::Duration skew = std::max(opt.clock_skew, absl::ZeroDuration());
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      if (!opt.check_time) return true;
      return skew > absl::ZeroDuration() && cert != nullptr &&
             After(X509_get0_notAfter(cert), opt.now - skew);
    case X509_V_ERR_CERT_NOT_YET_VALID:
      if (!opt.check_time) return true;
      return skew > absl::ZeroDuration() && cert != nullptr &&
             AtOrBefore(X509_get0_notBefore(cert), opt.now + skew);
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
      return !opt.check_time;
    default:
      break;
  }
  if (!IsRevocationError(err)) return false;
  // Revocation status of the path's last certificate (the anchor) is not required.
  if (opt.revocation_scope == RevocationScope::kExcludeRoot) {
    const int last = sk_X509_num(X509_STORE_CTX_get0_chain(ctx)) - 1;
    if (depth == last) return true;
  }
  const X509_CRL* crl = X509_STORE_CTX_get0_current_crl(ctx);
  if (err == X509_V_ERR_CRL_NOT_YET_VALID) {
    return skew > absl::ZeroDuration() && crl != nullptr &&
           AtOrBefore(X509_CRL_get0_lastUpdate(crl), opt.now + skew);
  }
  if (err == X509_V_ERR_CRL_HAS_EXPIRED) {
    return skew > absl::ZeroDuration() && crl != nullptr &&
           After(X509_CRL_get0_nextUpdate(crl), opt.now - skew);
  }
  return false;
}

int VerifyCallback(int ok, X509_STORE_CTX* ctx) {
  if (ok == 1) return 1;
  auto* st = static_cast<CallState*>(X509_STORE_CTX_get_app_data(ctx));
  const int err = X509_STORE_CTX_get_error(ctx);
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  if (Tolerated(*st, ctx, err, depth, cert)) {
    X509_STORE_CTX_set_error(ctx, X509_V_OK);
    return 1;
  }
  if (err == X509_V_ERR_CRL_HAS_EXPIRED && st->options->crl_soft_fail) {
    st->crl_stale = true;
    X509_STORE_CTX_set_error(ctx, X509_V_OK);
    return 1;
  }
  if (st->x509_error == X509_V_OK) {
    st->x509_error = err;
    st->depth = depth;
    st->cert = cert;
    if (err == X509_V_ERR_CERT_REVOKED && cert != nullptr) {
      X509_CRL* crl = X509_STORE_CTX_get0_current_crl(ctx);
      X509_REVOKED* entry = nullptr;
      if (crl != nullptr && X509_CRL_get0_by_cert(crl, &entry, cert) == 1 && entry != nullptr) {
        absl::StatusOr<absl::Time> when =
            internal::Asn1TimeToTime(X509_REVOKED_get0_revocationDate(entry));
        if (when.ok()) {
          st->has_revocation_time = true;
          st->revocation_time = *when;
        }
      }
    }
  }
  return 0;
}

// Finds the Certificate that owns `x` among the objects the caller and the store gave us.
CertificatePtr FindOwner(X509* x, std::span<const CertificatePtr> untrusted,
                         const TrustStore& store) {
  for (const CertificatePtr& c : untrusted) {
    if (c != nullptr && c->raw() == x) return c;
  }
  for (const CertificatePtr& c : store.anchors()) {
    if (c->raw() == x) return c;
  }
  for (const CertificatePtr& c : store.intermediates()) {
    if (c->raw() == x) return c;
  }
  return nullptr;
}

std::string SubjectOf(X509* cert, const Certificate& leaf,
                      std::span<const CertificatePtr> untrusted, const TrustStore& store) {
  if (cert == nullptr) return "";
  if (cert == leaf.raw()) return leaf.info().subject_dn;
  if (CertificatePtr owner = FindOwner(cert, untrusted, store)) return owner->info().subject_dn;
  return internal::NameToRfc2253(X509_get_subject_name(cert));
}

std::string Message(std::string reason, int depth, const std::string& subject) {
  std::string msg = std::move(reason);
  if (depth >= 0) msg += " (depth " + std::to_string(depth) + ")";
  if (!subject.empty()) msg += ": " + internal::Bounded(subject, kMaxSubjectInMessage);
  return msg;
}

VerifyResult Fail(VerifyError error, std::string message, int depth) {
  VerifyResult r;
  r.error = error;
  r.message = std::move(message);
  r.error_depth = depth;
  return r;
}

}  // namespace

VerifyResult VerifyChain(const Certificate& leaf, std::span<const CertificatePtr> untrusted,
                         const TrustStore& store, const VerifyOptions& options) {
  if (options.max_depth < 1) {
    return Fail(VerifyError::kChainTooLong, "max_depth must allow at least one certificate", 0);
  }
  ERR_clear_error();

  // Untrusted pool: the presented chain plus the store's configured intermediates. With nothing
  // presented, the store's prebuilt stack is used as is (no allocation).
  X509StackShallowPtr pool_owner;
  STACK_OF(X509)* pool = store.intermediate_stack();
  if (!untrusted.empty()) {
    pool_owner.reset(sk_X509_new_reserve(
        nullptr, static_cast<int>(untrusted.size()) + sk_X509_num(store.intermediate_stack())));
    if (pool_owner == nullptr) return Fail(VerifyError::kOther, "out of memory", -1);
    for (const CertificatePtr& c : untrusted) {
      if (c != nullptr) sk_X509_push(pool_owner.get(), c->raw());
    }
    for (int i = 0; i < sk_X509_num(store.intermediate_stack()); ++i) {
      sk_X509_push(pool_owner.get(), sk_X509_value(store.intermediate_stack(), i));
    }
    pool = pool_owner.get();
  }

  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (ctx == nullptr ||
      X509_STORE_CTX_init(ctx.get(), store.store(), leaf.raw(), pool) != 1) {
    return Fail(VerifyError::kOther, "X509_STORE_CTX_init: " + internal::TakeOpenSslErrors(), -1);
  }
  // Anchors come from the prebuilt stack instead of X509_STORE lookups (which take the store's
  // lock on every call in OpenSSL 3.0); the set of certificates is the same.
  X509_STORE_CTX_set0_trusted_stack(ctx.get(), store.anchor_stack());

  CallState state;
  state.options = &options;
  X509_STORE_CTX_set_app_data(ctx.get(), &state);
  X509_STORE_CTX_set_verify_cb(ctx.get(), VerifyCallback);

  // The validation time is always set, also with check_time=false: OpenSSL 3.0 ignores
  // X509_V_FLAG_NO_CHECK_TIME once a time is set, and CRL freshness still needs `now`.
  // Certificate validity errors are then waived in the callback.
  X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(options.now));
  // OpenSSL's depth counts the intermediates only (neither leaf nor anchor).
  X509_STORE_CTX_set_depth(ctx.get(), std::max(options.max_depth - 2, 0));

  unsigned long flags = X509_V_FLAG_X509_STRICT;
  if (options.allow_partial_chain) flags |= X509_V_FLAG_PARTIAL_CHAIN;
  X509CrlStackShallowPtr crl_stack;
  if (!options.crls.empty()) {
    crl_stack.reset(sk_X509_CRL_new_reserve(nullptr, static_cast<int>(options.crls.size())));
    if (crl_stack == nullptr) return Fail(VerifyError::kOther, "out of memory", -1);
    for (const CrlPtr& crl : options.crls) {
      if (crl != nullptr) sk_X509_CRL_push(crl_stack.get(), crl->raw());
    }
    X509_STORE_CTX_set0_crls(ctx.get(), crl_stack.get());
    flags |= X509_V_FLAG_CRL_CHECK;
    if (options.revocation_scope != RevocationScope::kEndCertificate) {
      flags |= X509_V_FLAG_CRL_CHECK_ALL;
    }
  }
  X509_STORE_CTX_set_flags(ctx.get(), flags);

  const int rc = X509_verify_cert(ctx.get());
  ERR_clear_error();
  if (rc != 1) {
    int err = state.x509_error;
    int depth = state.depth;
    X509* cert = state.cert;
    if (err == X509_V_OK) {  // failure without a callback (internal error)
      err = X509_STORE_CTX_get_error(ctx.get());
      if (err == X509_V_OK) err = X509_V_ERR_UNSPECIFIED;
      depth = X509_STORE_CTX_get_error_depth(ctx.get());
      cert = X509_STORE_CTX_get_current_cert(ctx.get());
    }
    VerifyResult r = Fail(VerifyErrorFromOpenSsl(err),
                          Message(X509_verify_cert_error_string(err), depth,
                                  SubjectOf(cert, leaf, untrusted, store)),
                          depth);
    if (state.has_revocation_time) r.revocation_time = state.revocation_time;
    return r;
  }

  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  const int n = sk_X509_num(chain);
  if (n > options.max_depth) {
    // Only reachable for max_depth 1 (OpenSSL's depth cannot go below one anchor plus a leaf).
    // Reported like OpenSSL does: at the last certificate within the limit.
    const int depth = options.max_depth - 1;
    return Fail(VerifyError::kChainTooLong,
                Message(X509_verify_cert_error_string(X509_V_ERR_CERT_CHAIN_TOO_LONG), depth,
                        SubjectOf(sk_X509_value(chain, depth), leaf, untrusted, store)),
                depth);
  }

  VerifyResult result;
  result.crl_stale = state.crl_stale;
  result.path.reserve(static_cast<size_t>(n));
  result.path.push_back(leaf.shared_from_this());  // chain[0] is the leaf (or an identical anchor)
  for (int i = 1; i < n; ++i) {
    X509* x = sk_X509_value(chain, i);
    CertificatePtr owner = FindOwner(x, untrusted, store);
    if (owner == nullptr) {  // cannot happen: OpenSSL only links the objects we handed it
      return Fail(VerifyError::kOther, "verified path contains an unknown certificate", i);
    }
    result.path.push_back(std::move(owner));
  }
  return result;
}

}  // namespace certguard::x509
