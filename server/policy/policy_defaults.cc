#include "server/policy/policy_defaults.h"

#include "server/policy/rules/rule_factories.h"

namespace certguard::policy {

void FillDefaults(v1::Policy* p) {
  if (p->client_certificate_mode() == v1::CLIENT_CERTIFICATE_MODE_UNSPECIFIED) {
    p->set_client_certificate_mode(v1::REQUIRED);
  }
  if (!p->has_require_https()) p->set_require_https(true);

  v1::Trust* t = p->mutable_trust();
  if (t->allowed_certificate_types() == v1::CERTIFICATE_TYPES_UNSPECIFIED) {
    t->set_allowed_certificate_types(v1::CHAINED);
  }
  if (t->max_chain_depth() == 0) t->set_max_chain_depth(kDefaultMaxChainDepth);
  if (!t->has_allow_partial_chain()) t->set_allow_partial_chain(true);
  if (!t->has_enforce_anchor_expiry()) t->set_enforce_anchor_expiry(true);
  if (!t->has_enforce_anchor_constraints()) t->set_enforce_anchor_constraints(true);

  v1::Validity* v = p->mutable_validity();
  if (!v->has_check()) v->set_check(true);

  v1::ExtendedKeyUsage* eku = p->mutable_extended_key_usage();
  if (!eku->has_check()) eku->set_check(true);
  if (eku->check() && eku->allowed().empty()) eku->add_allowed("clientAuth");

  v1::CertificatePolicies* cp = p->mutable_certificate_policies();
  if (!cp->has_require_explicit_policy()) cp->set_require_explicit_policy(!cp->required().empty());

  v1::KeyRules* k = p->mutable_key_rules();
  if (k->min_rsa_bits() == 0) k->set_min_rsa_bits(kDefaultMinRsaBits);
  if (k->max_rsa_bits() == 0) k->set_max_rsa_bits(kDefaultMaxRsaBits);
  if (k->allowed_curves().empty())
    for (const char* c : kDefaultCurves) k->add_allowed_curves(c);
  if (k->allowed_key_algorithms().empty()) {
    for (const char* a : kDefaultKeyAlgorithms) k->add_allowed_key_algorithms(a);
  }
  if (k->allowed_signature_algorithms().empty()) {
    for (const char* a : kDefaultSignatureAlgorithms) k->add_allowed_signature_algorithms(a);
  }

  v1::HeaderRules* h = p->mutable_headers();
  if (h->xfcc_element().empty()) h->set_xfcc_element("last");
  if (h->max_header_bytes() == 0) h->set_max_header_bytes(kDefaultMaxHeaderBytes);
  if (h->max_certificates() == 0) h->set_max_certificates(kDefaultMaxCertificates);
  if (h->max_certificate_bytes() == 0) h->set_max_certificate_bytes(kDefaultMaxCertificateBytes);

  v1::Revocation* r = p->mutable_revocation();
  if (r->scope() == v1::REVOCATION_SCOPE_UNSPECIFIED) r->set_scope(v1::END_CERTIFICATE);
  if (r->stale_crl() == v1::STALE_CRL_ACTION_UNSPECIFIED) r->set_stale_crl(v1::FAIL_CLOSED);
  if (r->has_ocsp() || r->ocsp().enabled()) {
    v1::Ocsp* o = r->mutable_ocsp();
    if (o->timeout_ms() == 0) o->set_timeout_ms(kDefaultOcspTimeoutMs);
    if (o->unreachable() == v1::STALE_CRL_ACTION_UNSPECIFIED) o->set_unreachable(v1::FAIL_CLOSED);
    if (!o->has_failure_cache_ms()) o->set_failure_cache_ms(kDefaultOcspFailureCacheMs);
  }

  v1::StrictProfile* s = p->mutable_strict();
  if (!s->has_enabled()) s->set_enabled(true);
}

}  // namespace certguard::policy
