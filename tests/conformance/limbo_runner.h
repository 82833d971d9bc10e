// Conformance runner for x509-limbo (C2SP/x509-limbo): maps each client-applicable test case onto
// a certguard policy and runs it through the server's own decision core (policy compiler +
// core::Evaluate), so the verdict is exactly what a deployed certguard would answer.
#ifndef CERTGUARD_TESTS_CONFORMANCE_LIMBO_RUNNER_H_
#define CERTGUARD_TESTS_CONFORMANCE_LIMBO_RUNNER_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace certguard::conformance {

// Validation time for cases whose `validation_time` is null ("now" upstream). Every such case
// in the shared data is valid from 1970 to 2969; a fixed time keeps the run reproducible.
absl::Time DefaultValidationTime();  // 2025-01-01T00:00:00Z

// Limbo features the runner does not support; cases tagged with one are skipped.
const std::set<std::string>& UnsupportedFeatures();

enum class Verdict { kSuccess, kFailure };

struct CaseOutcome {
  Verdict verdict = Verdict::kFailure;
  std::string reason;   // certguard reason code name (or "POLICY_COMPILE_ERROR")
  std::string message;  // certguard's message, for reports
};

// Reads a gzip-compressed file completely.
absl::StatusOr<std::string> ReadGzipFile(const std::string& path);

// Builds the certguard policy for one limbo test case and evaluates its peer certificate (with
// the untrusted intermediates presented in the same header, as a proxy forwards a chain).
// `scratch_dir` receives the case's CRL files. A policy that does not compile counts as a
// refusal (a server would not load it and so would trust nothing).
CaseOutcome RunCase(const nlohmann::json& testcase, const std::string& scratch_dir);

// Per-group tallies.
struct GroupCounts {
  int total = 0;
  int right = 0;
  int false_accept = 0;
  int false_reject = 0;
  int skipped = 0;
  std::map<std::string, int> skipped_by_feature;
};

// Reads `tests/conformance/expected_failures.txt` lines: "<case id>  # reason".
absl::StatusOr<std::map<std::string, std::string>> ReadExpectedFailures(const std::string& path);

}  // namespace certguard::conformance

#endif  // CERTGUARD_TESTS_CONFORMANCE_LIMBO_RUNNER_H_
