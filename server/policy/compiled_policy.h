// policy/: turns policy files into immutable, compiled policies and registry snapshots.
//
// A CompiledPolicy is everything the request path needs, built once at load: decode options,
// a shared trust store, verification options and the ordered rules. It never reads files or
// protos at request time. Instances are shared as shared_ptr<const CompiledPolicy>.
#ifndef CERTGUARD_SERVER_POLICY_COMPILED_POLICY_H_
#define CERTGUARD_SERVER_POLICY_COMPILED_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "certguard/v1/policy.pb.h"
#include "server/headers/decoder.h"
#include "server/policy/exclusion_paths.h"
#include "server/policy/matchers/identity_allowlist.h"
#include "server/policy/rule.h"
#include "server/revocation/ocsp_checker.h"
#include "server/x509/chain_verifier.h"
#include "server/x509/crl.h"
#include "server/x509/trust_store.h"

namespace certguard::policy {

struct CompiledPolicy {
  std::string id;
  std::string source_file;
  std::string revision;  // content hash of this policy's effective configuration
  std::string summary;   // one line for ListPolicies
  // The configuration with every default filled in (for GetPolicy), kept encoded: a parsed
  // copy per policy would be most of a large registry's memory.
  std::string effective_wire;
  v1::Policy Effective() const {
    v1::Policy p;
    p.ParseFromString(effective_wire);
    return p;
  }

  bool certificate_optional = false;  // OPTIONAL / OPTIONAL_INTERACTIVE_USER
  ExclusionPaths exclusions;          // exclusion_paths
  bool require_https = true;
  IdentityAllowlist callers;  // callers; empty = any caller
  headers::DecodeOptions decode;

  // Chain trust.
  std::shared_ptr<const x509::TrustStore> trust;  // null only for SELF_SIGNED-with-pins policies
  bool allow_chained = true;
  bool allow_self_signed = false;
  bool check_time = true;
  absl::Duration clock_skew;
  int max_chain_depth = 5;
  bool allow_partial_chain = true;
  bool enforce_anchor_expiry = true;       // trust.enforce_anchor_expiry
  bool enforce_anchor_constraints = true;  // trust.enforce_anchor_constraints (also in `trust`)
  // certificate_policies: RFC 5280 §6.1.1 user-initial inputs (dotted OIDs).
  std::vector<std::string> initial_policy_set;
  bool initial_explicit_policy = false;
  bool initial_policy_mapping_inhibit = false;
  bool initial_any_policy_inhibit = false;
  std::vector<x509::CrlPtr> crls;
  x509::RevocationScope revocation_scope = x509::RevocationScope::kEndCertificate;
  bool crl_soft_fail = false;
  // OCSP for the leaf (null when revocation.ocsp is disabled). The checker owns this policy's
  // response cache, so a reload starts with an empty one.
  std::shared_ptr<const revocation::OcspChecker> ocsp;
  bool ocsp_soft_fail = false;  // responder unreachable / bad answer -> ALLOW (reported)

  // Rules on the presented certificates that must pass before any signature is verified.
  // Rules are immutable; policies of one registry with equal settings share one instance.
  std::vector<std::shared_ptr<const Rule>> pre_verification_rules;
  // Rules on the leaf / verified path, in order.
  std::vector<std::shared_ptr<const Rule>> rules;
};

using CompiledPolicyPtr = std::shared_ptr<const CompiledPolicy>;

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_COMPILED_POLICY_H_
