// The time source a server uses for validation ("now"); injected so tests and the offline
// evaluator can fix it.
#ifndef CERTGUARD_SERVER_SERVICE_CLOCK_H_
#define CERTGUARD_SERVER_SERVICE_CLOCK_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace certguard::service {

using Clock = std::function<absl::Time()>;

inline Clock SystemClock() { return [] { return absl::Now(); }; }
inline Clock FixedClock(absl::Time t) { return [t] { return t; }; }

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_CLOCK_H_
