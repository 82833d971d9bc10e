// The reason catalogue: every certguard.v1.Reason with the decision it goes with and the one
// human sentence that starts a response's message. docs/reasons.md lists the same codes with
// the same sentences; tests/core/reasons_test.cc fails when a code of the proto enum is missing
// from either.
#ifndef CERTGUARD_SERVER_CORE_REASONS_H_
#define CERTGUARD_SERVER_CORE_REASONS_H_

#include "absl/types/span.h"
#include "certguard/v1/validator.pb.h"

namespace certguard::core {

struct ReasonInfo {
  v1::Reason reason;
  v1::Decision decision;  // ALLOW for the three allowing reasons, DENY for every other
  const char* sentence;
};

// Every reason but REASON_UNSPECIFIED, in the enum's order.
absl::Span<const ReasonInfo> AllReasons();

// The reason's sentence; "unknown reason" for a number the catalogue does not know.
const char* ReasonSentence(v1::Reason reason);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_REASONS_H_
