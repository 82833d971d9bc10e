// Tests' synchronous form of core::DecisionEngine::Decide: waits for the decision and copies
// its response.
#ifndef CERTGUARD_TESTS_TESTING_DECIDE_H_
#define CERTGUARD_TESTS_TESTING_DECIDE_H_

#include "absl/status/status.h"
#include "server/core/decision_engine.h"

namespace certguard::testing {

inline absl::Status DecideInto(core::DecisionEngine& engine, absl::string_view policy_id,
                               const core::EvaluationInput& input, v1::ValidateCertificateResponse* response) {
  absl::StatusOr<core::Decision> decision = core::DecideAndWait(engine, policy_id, input);
  if (!decision.ok()) return decision.status();
  response->CopyFrom(*decision->response);
  return absl::OkStatus();
}

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_DECIDE_H_
