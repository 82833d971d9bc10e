// The time source a server uses for validation ("now"); injected so tests and the offline
// evaluator can fix it.
#ifndef CERTGUARD_SERVER_CORE_CLOCK_H_
#define CERTGUARD_SERVER_CORE_CLOCK_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace certguard::core {

using Clock = std::function<absl::Time()>;

inline Clock SystemClock() {
  return [] { return absl::Now(); };
}
inline Clock FixedClock(absl::Time t) {
  return [t] { return t; };
}

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_CLOCK_H_
