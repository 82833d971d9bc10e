#include "server/x509/strict_profile_memo.h"

namespace certguard::x509 {

const std::optional<StrictFinding>& StrictProfileMemo::Get(const Certificate& cert, PathRole role,
                                                           Compute compute) const {
  Slot& slot = slots_[static_cast<size_t>(role)];
  std::call_once(slot.once, [&] { slot.finding = compute(cert, role); });
  return slot.finding;
}

}  // namespace certguard::x509
