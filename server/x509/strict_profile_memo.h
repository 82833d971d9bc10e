// StrictProfileMemo: the per-Certificate memo behind CheckCertificateProfile (strict_checks.h).
//
// The profile finding of a certificate depends only on its bytes and its PathRole, and a
// Certificate is immutable and shared between threads, so each Certificate owns one memo slot
// per role, computed on first use. The memo lives inside Certificate (its lifetime and sharing
// are the certificate's, no side table, no lock on a hit) but knows nothing of the checks: the
// computation is passed in by strict_checks.cc, which is the only code allowed to fill it
// (Certificate exposes the memo to CheckCertificateProfile alone). Layering stays
// strict_finding.h <- strict_profile_memo.h <- certificate.h <- strict_checks.h.
//
// Lazy rather than eager: Certificate::FromDer is on the cold path of a new leaf, a leaf is only
// ever checked as kLeaf and a CA as kIntermediate/kAnchor, so computing all roles at parse time
// would cost every parse three checks to save at most one.
#ifndef CERTGUARD_SERVER_X509_STRICT_PROFILE_MEMO_H_
#define CERTGUARD_SERVER_X509_STRICT_PROFILE_MEMO_H_

#include <array>
#include <mutex>
#include <optional>

#include "server/x509/strict_finding.h"

namespace certguard::x509 {

class Certificate;

// Thread-safe: each role's finding is computed exactly once (std::call_once; concurrent first
// callers wait for it) and only read afterwards.
class StrictProfileMemo {
 public:
  using Compute = std::optional<StrictFinding> (*)(const Certificate& cert, PathRole role);

  StrictProfileMemo() = default;
  StrictProfileMemo(const StrictProfileMemo&) = delete;
  StrictProfileMemo& operator=(const StrictProfileMemo&) = delete;

  // The finding for `role`, from `compute(cert, role)` on the first call for that role. `cert`
  // must be the Certificate owning this memo and `compute` the same function on every call.
  // The reference is valid as long as the memo.
  const std::optional<StrictFinding>& Get(const Certificate& cert, PathRole role, Compute compute) const;

 private:
  struct Slot {
    std::once_flag once;
    std::optional<StrictFinding> finding;  // written once, under `once`
  };
  mutable std::array<Slot, kPathRoleCount> slots_;
};

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_STRICT_PROFILE_MEMO_H_
