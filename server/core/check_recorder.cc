#include "server/core/check_recorder.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/reasons.h"

namespace certguard::core {

void CheckRecorder::Add(absl::string_view name, bool passed, v1::Reason reason, std::string detail) {
  v1::Check* c = r_->add_checks();
  c->set_name(std::string(name));
  c->set_passed(passed);
  if (!passed) {
    c->set_reason(reason);
    if (first_failure_ == v1::REASON_UNSPECIFIED) {
      first_failure_ = reason;
      first_detail_ = detail;
    }
  }
  c->set_detail(std::move(detail));
}

void CheckRecorder::PassFailedOpen(absl::string_view name, std::string detail) {
  Pass(name, std::move(detail));
  r_->mutable_checks()->rbegin()->set_failed_open(true);
}

void CheckRecorder::Finish(v1::Reason allow_reason, absl::string_view policy_id) {
  if (failed()) {
    r_->set_decision(v1::DENY);
    r_->set_reason(first_failure_);
    r_->set_message(absl::StrCat(ReasonSentence(first_failure_), ": ", first_detail_));
  } else {
    r_->set_decision(v1::ALLOW);
    r_->set_reason(allow_reason);
    r_->set_message(absl::StrCat(ReasonSentence(allow_reason), " (policy ", policy_id, ")"));
  }
}

}  // namespace certguard::core
