// A policy rule: one named check over a parsed (and, when verification succeeded, verified)
// client certificate. Rules are compiled once at load and are immutable and thread-safe.
#ifndef CERTGUARD_SERVER_POLICY_RULE_H_
#define CERTGUARD_SERVER_POLICY_RULE_H_

#include <span>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/x509/certificate.h"

namespace certguard::policy {

// What a rule may look at. All references outlive the Check call.
struct RuleContext {
  const x509::Certificate& leaf;
  // Every certificate the client presented, leaf first (untrusted).
  std::span<const x509::CertificatePtr> presented;
  // The verified path, leaf first, anchor last; empty when chain verification failed.
  std::span<const x509::CertificatePtr> path;
  absl::Time now;
  // The anchor's own constraints (e.g. its extendedKeyUsage) apply to the path
  // (trust.enforce_anchor_constraints).
  bool enforce_anchor_constraints = true;
};

struct RuleResult {
  bool passed = true;
  v1::Reason reason = v1::REASON_UNSPECIFIED;  // set when !passed
  std::string detail;

  static RuleResult Pass(std::string detail = {}) { return {true, v1::REASON_UNSPECIFIED, std::move(detail)}; }
  static RuleResult Fail(v1::Reason reason, std::string detail) { return {false, reason, std::move(detail)}; }
};

// The seam every policy rule implements.
class Rule {
 public:
  virtual ~Rule() = default;
  // Stable check name shown in responses ("eku", "thumbprint", ...).
  virtual absl::string_view name() const = 0;
  virtual RuleResult Check(const RuleContext& context) const = 0;
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_RULE_H_
