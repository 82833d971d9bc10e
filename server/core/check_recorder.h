// Records the checks of one evaluation into its response, in order; the first failure decides
// the response's reason and message. Not thread-safe (one per evaluation).
#ifndef CERTGUARD_SERVER_CORE_CHECK_RECORDER_H_
#define CERTGUARD_SERVER_CORE_CHECK_RECORDER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "certguard/v1/validator.pb.h"

namespace certguard::core {

class CheckRecorder {
 public:
  // `response` must outlive the recorder.
  explicit CheckRecorder(v1::ValidateCertificateResponse* response) : r_(response) {}

  void Add(absl::string_view name, bool passed, v1::Reason reason, std::string detail);
  void Pass(absl::string_view name, std::string detail) { Add(name, true, v1::REASON_UNSPECIFIED, std::move(detail)); }
  // A pass that holds only because the policy fails open (Check.failed_open).
  void PassFailedOpen(absl::string_view name, std::string detail);
  void Fail(absl::string_view name, v1::Reason reason, std::string detail) {
    Add(name, false, reason, std::move(detail));
  }
  bool failed() const { return first_failure_ != v1::REASON_UNSPECIFIED; }

  // Writes decision, reason and message. `allow_reason` is used when nothing failed.
  void Finish(v1::Reason allow_reason, absl::string_view policy_id);

 private:
  v1::ValidateCertificateResponse* r_;
  v1::Reason first_failure_ = v1::REASON_UNSPECIFIED;
  std::string first_detail_;
};

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_CHECK_RECORDER_H_
