#include "server/x509/chain_verifier.h"

#include <algorithm>
#include <string>
#include <utility>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

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
  return err == X509_V_ERR_CERT_REVOKED || VerifyErrorFromOpenSsl(err) == VerifyError::kRevocationUnknown;
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
    case X509_V_ERR_CERT_NOT_YET_VALID:
      if (!opt.enforce_anchor_expiry && depth > 0 && depth == sk_X509_num(X509_STORE_CTX_get0_chain(ctx)) - 1) {
        return true;  // the anchor's own validity period (a leaf that is the anchor: depth 0)
      }
      break;
    default:
      break;
  }
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      if (!opt.check_time) return true;
      return skew > absl::ZeroDuration() && cert != nullptr && After(X509_get0_notAfter(cert), opt.now - skew);
    case X509_V_ERR_CERT_NOT_YET_VALID:
      if (!opt.check_time) return true;
      return skew > absl::ZeroDuration() && cert != nullptr && AtOrBefore(X509_get0_notBefore(cert), opt.now + skew);
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
    return skew > absl::ZeroDuration() && crl != nullptr && AtOrBefore(X509_CRL_get0_lastUpdate(crl), opt.now + skew);
  }
  if (err == X509_V_ERR_CRL_HAS_EXPIRED) {
    return skew > absl::ZeroDuration() && crl != nullptr && After(X509_CRL_get0_nextUpdate(crl), opt.now - skew);
  }
  return false;
}

int VerifyCallback(int ok, X509_STORE_CTX* ctx) {
  if (ok == 1) return 1;
  const int err = X509_STORE_CTX_get_error(ctx);
  const int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  auto* st = static_cast<CallState*>(X509_STORE_CTX_get_app_data(ctx));
  if (st == nullptr) {
    // OpenSSL's nested context that validates the path of a CRL signer outside the certificate's
    // path (RFC 5280 §6.3.3 f). Same options; a failure here surfaces in the outer context as
    // CRL_PATH_VALIDATION_ERROR. The signer's own revocation is checked when a CRL covers it,
    // but a missing CRL for it is not required (OpenSSL does not recurse further).
    X509_STORE_CTX* parent = X509_STORE_CTX_get0_parent_ctx(ctx);
    const auto* outer = parent == nullptr ? nullptr : static_cast<CallState*>(X509_STORE_CTX_get_app_data(parent));
    if (outer == nullptr) return 0;
    if (Tolerated(*outer, ctx, err, depth, cert)) {
      X509_STORE_CTX_set_error(ctx, X509_V_OK);
      return 1;
    }
    if (err != X509_V_ERR_CERT_REVOKED && IsRevocationError(err)) {
      X509_STORE_CTX_set_error(ctx, X509_V_OK);
      return 1;
    }
    return 0;
  }
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
      // The entry is in the current CRL or, when OpenSSL applied a delta, in one of the others.
      X509_CRL* current = X509_STORE_CTX_get0_current_crl(ctx);
      X509_REVOKED* entry = nullptr;
      if (current == nullptr || X509_CRL_get0_by_cert(current, &entry, cert) != 1) {
        entry = nullptr;
        for (const CrlPtr& crl : st->options->crls) {
          if (crl != nullptr && X509_CRL_get0_by_cert(crl->raw(), &entry, cert) == 1) break;
          entry = nullptr;
        }
      }
      if (entry != nullptr) {
        absl::StatusOr<absl::Time> when = internal::Asn1TimeToTime(X509_REVOKED_get0_revocationDate(entry));
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
CertificatePtr FindOwner(X509* x, std::span<const CertificatePtr> untrusted, const TrustStore& store) {
  for (const CertificatePtr& c : untrusted) {
    if (c != nullptr && c->raw() == x) return c;
  }
  return store.OwnerOf(x);
}

std::string SubjectOf(X509* cert, const Certificate& leaf, std::span<const CertificatePtr> untrusted,
                      const TrustStore& store) {
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

// True when `delta` is a delta CRL that extends a complete CRL of `crls` (RFC 5280 §5.2.4: same
// issuer name, the delta's base number <= the complete CRL's number < the delta's number).
bool ExtendsACompleteCrl(const Crl& delta, std::span<const CrlPtr> crls) {
  if (delta.delta_base() == nullptr || delta.number() == nullptr) return false;
  for (const CrlPtr& base : crls) {
    if (base == nullptr || base->delta_base() != nullptr || base->number() == nullptr) continue;
    if (X509_NAME_cmp(X509_CRL_get_issuer(base->raw()), X509_CRL_get_issuer(delta.raw())) != 0) continue;
    if (ASN1_INTEGER_cmp(delta.delta_base(), base->number()) <= 0 &&
        ASN1_INTEGER_cmp(delta.number(), base->number()) > 0) {
      return true;
    }
  }
  return false;
}

// OpenSSL applies a delta CRL only when the certificate or the complete CRL carries freshestCRL.
// A delta the operator configured is applied regardless: an entry (other than removeFromCRL)
// for a certificate of the verified path in revocation scope, in a delta that extends a
// complete CRL of the set and verifies under the issuer's key, revokes it. Returns the depth of
// the revoked certificate and the entry, or depth -1.
struct DeltaRevocation {
  int depth = -1;
  const X509_REVOKED* entry = nullptr;
};
DeltaRevocation RevokedByDelta(STACK_OF(X509) * chain, const VerifyOptions& options) {
  const int n = sk_X509_num(chain);
  const int last = options.revocation_scope == RevocationScope::kEndCertificate ? 0 : n - 2;
  for (int depth = 0; depth <= last && depth + 1 < n; ++depth) {
    X509* cert = sk_X509_value(chain, depth);
    X509* issuer = sk_X509_value(chain, depth + 1);
    for (const CrlPtr& crl : options.crls) {
      if (crl == nullptr || crl->delta_base() == nullptr) continue;
      if (X509_NAME_cmp(X509_CRL_get_issuer(crl->raw()), X509_get_subject_name(issuer)) != 0) continue;
      X509_REVOKED* entry = nullptr;
      // 1: revoked; 2: removeFromCRL (not revoked); 0: not listed.
      if (X509_CRL_get0_by_cert(crl->raw(), &entry, cert) != 1) continue;
      if (!ExtendsACompleteCrl(*crl, options.crls)) continue;
      if (X509_CRL_verify(crl->raw(), X509_get0_pubkey(issuer)) != 1) continue;
      return {depth, entry};
    }
  }
  return {};
}

// The user-constrained valid policy set of a verified path (VerifyResult::valid_policies).
std::vector<std::string> ValidPolicies(X509_STORE_CTX* ctx) {
  std::vector<std::string> out;
  const X509_POLICY_TREE* tree = X509_STORE_CTX_get0_policy_tree(ctx);
  if (tree == nullptr) return out;
  STACK_OF(X509_POLICY_NODE)* nodes = X509_policy_tree_get0_user_policies(tree);
  for (int i = 0; i < sk_X509_POLICY_NODE_num(nodes); ++i) {
    const ASN1_OBJECT* policy = X509_policy_node_get0_policy(sk_X509_POLICY_NODE_value(nodes, i));
    char buf[128];
    const int len = OBJ_obj2txt(buf, sizeof(buf), policy, /*no_name=*/1);
    if (len > 0 && static_cast<size_t>(len) < sizeof(buf)) out.emplace_back(buf, static_cast<size_t>(len));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

VerifyResult Fail(VerifyError error, std::string message, int depth) {
  VerifyResult r;
  r.error = error;
  r.message = std::move(message);
  r.error_depth = depth;
  return r;
}

}  // namespace

VerifyResult VerifyChain(const Certificate& leaf, std::span<const CertificatePtr> untrusted, const TrustStore& store,
                         const VerifyOptions& options) {
  if (options.max_depth < 1) {
    return Fail(VerifyError::kChainTooLong, "max_depth must allow at least one certificate", 0);
  }
  ERR_clear_error();

  // Untrusted pool: the presented chain plus the store's configured intermediates. With nothing
  // presented, the store's prebuilt stack is used as is (no allocation).
  X509StackShallowPtr pool_owner;
  STACK_OF(X509)* pool = store.intermediate_stack();
  if (!untrusted.empty()) {
    pool_owner.reset(
        sk_X509_new_reserve(nullptr, static_cast<int>(untrusted.size()) + sk_X509_num(store.intermediate_stack())));
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
  if (ctx == nullptr || X509_STORE_CTX_init(ctx.get(), store.store(), leaf.raw(), pool) != 1) {
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

  // Policy processing always runs (RFC 5280 §6.1); the user-initial inputs come from the options.
  unsigned long flags = X509_V_FLAG_X509_STRICT | X509_V_FLAG_POLICY_CHECK;
  if (options.initial_explicit_policy) flags |= X509_V_FLAG_EXPLICIT_POLICY;
  if (options.initial_policy_mapping_inhibit) flags |= X509_V_FLAG_INHIBIT_MAP;
  if (options.initial_any_policy_inhibit) flags |= X509_V_FLAG_INHIBIT_ANY;
  {
    // The user-initial-policy-set, {anyPolicy} by default (RFC 5280 §6.1.1 c). OpenSSL needs
    // it stated: with none, a path under requireExplicitPolicy never has a valid policy.
    Asn1ObjectStackPtr policies(sk_ASN1_OBJECT_new_null());
    if (policies == nullptr) return Fail(VerifyError::kOther, "out of memory", -1);
    if (options.initial_policy_set.empty()) {
      // OBJ_nid2obj returns a static object; set1_policies below copies it.
      if (sk_ASN1_OBJECT_push(policies.get(), OBJ_nid2obj(NID_any_policy)) <= 0) {
        return Fail(VerifyError::kOther, "out of memory", -1);
      }
    }
    for (const std::string& oid : options.initial_policy_set) {
      ASN1_OBJECT* obj = OBJ_txt2obj(oid.c_str(), /*no_name=*/1);
      if (obj == nullptr || sk_ASN1_OBJECT_push(policies.get(), obj) <= 0) {
        ASN1_OBJECT_free(obj);
        return Fail(VerifyError::kOther, "invalid initial policy OID " + oid, -1);
      }
    }
    if (X509_VERIFY_PARAM_set1_policies(X509_STORE_CTX_get0_param(ctx.get()), policies.get()) != 1) {
      return Fail(VerifyError::kOther, "X509_VERIFY_PARAM_set1_policies failed", -1);
    }
    // The static anyPolicy object must not be freed with the stack.
    if (options.initial_policy_set.empty()) sk_ASN1_OBJECT_zero(policies.get());
  }
  if (options.allow_partial_chain) flags |= X509_V_FLAG_PARTIAL_CHAIN;
  X509CrlStackShallowPtr crl_stack;
  if (!options.crls.empty()) {
    crl_stack.reset(sk_X509_CRL_new_reserve(nullptr, static_cast<int>(options.crls.size())));
    if (crl_stack == nullptr) return Fail(VerifyError::kOther, "out of memory", -1);
    for (const CrlPtr& crl : options.crls) {
      if (crl != nullptr) sk_X509_CRL_push(crl_stack.get(), crl->raw());
    }
    X509_STORE_CTX_set0_crls(ctx.get(), crl_stack.get());
    // RFC 5280 §6.3: scoped, partitioned and indirect CRLs, and delta CRLs applied to their
    // base (without EXTENDED_CRL_SUPPORT OpenSSL would take a delta for a complete CRL).
    flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_EXTENDED_CRL_SUPPORT | X509_V_FLAG_USE_DELTAS;
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
    VerifyResult r =
        Fail(VerifyErrorFromOpenSsl(err),
             Message(X509_verify_cert_error_string(err), depth, SubjectOf(cert, leaf, untrusted, store)), depth);
    if (state.has_revocation_time) r.revocation_time = state.revocation_time;
    return r;
  }

  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  const int n = sk_X509_num(chain);
  if (!options.crls.empty()) {
    ERR_clear_error();
    const DeltaRevocation delta = RevokedByDelta(chain, options);
    ERR_clear_error();
    if (delta.depth >= 0) {
      X509* cert = sk_X509_value(chain, delta.depth);
      VerifyResult r =
          Fail(VerifyError::kRevoked,
               Message("certificate revoked by a delta CRL", delta.depth, SubjectOf(cert, leaf, untrusted, store)),
               delta.depth);
      if (auto when = internal::Asn1TimeToTime(X509_REVOKED_get0_revocationDate(delta.entry)); when.ok()) {
        r.revocation_time = *when;
      }
      return r;
    }
  }
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
  result.valid_policies = ValidPolicies(ctx.get());
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
