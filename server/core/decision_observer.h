// The seam through which the DecisionEngine reports every decision it makes (metrics and
// decision logs live in server/observability and implement it), plus what a front end tells
// the engine about the call. Observers are called on the request path: keep them cheap.
#ifndef CERTGUARD_SERVER_CORE_DECISION_OBSERVER_H_
#define CERTGUARD_SERVER_CORE_DECISION_OBSERVER_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "server/policy/matchers/identity_allowlist.h"

namespace certguard::core {

// Who asked and how long they wait. Views must outlive the Decide call.
struct CallInfo {
  absl::string_view frontend;  // "validator", "ext_authz"; empty = not stated
  absl::string_view caller;    // request's caller, else the gRPC peer
  // The connection's verified client certificate (SPIFFE ID, else "dn:…", else "sha256:…", as
  // the front end read it from the transport); empty on plaintext and Unix-socket connections.
  absl::string_view peer_identity;
  absl::Time deadline = absl::InfiniteFuture();  // client deadline (wall clock)
  // The same identity, structured, for a policy's `callers`; null = no verified certificate.
  const policy::PeerIdentity* peer = nullptr;
};

// One finished Decide call.
struct DecisionEvent {
  const CallInfo* call;
  absl::string_view requested_policy;               // as the request named it (untrusted)
  const absl::Status* status;                       // non-OK: an RPC error, `response` is partial
  const v1::ValidateCertificateResponse* response;  // policy_id is set once a policy was found
  absl::Duration latency;                           // time spent inside Decide
  std::optional<bool> is_https;                     // as the request stated it; nullopt = not stated
};

class DecisionObserver {
 public:
  virtual ~DecisionObserver() = default;
  // Called once per Decide, from any thread, after the decision is made.
  virtual void OnDecision(const DecisionEvent& event) = 0;
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_DECISION_OBSERVER_H_
