// Turns a ValidateCertificateRequest (read in place, or parsed) into the evaluator's input:
// views into the request's bytes. One rule for both forms.
#ifndef CERTGUARD_SERVER_CORE_REQUEST_CONVERSION_H_
#define CERTGUARD_SERVER_CORE_REQUEST_CONVERSION_H_

#include "certguard/v1/validator.pb.h"
#include "server/core/evaluator.h"
#include "server/core/request_view.h"

namespace certguard::core {

// The request's header value and name (when either is set) first, then its repeated headers;
// the path and the stated scheme. The bytes `request` views must outlive the returned input.
EvaluationInput ToEvaluationInput(const RequestView& request);
// The same for a parsed request, which must outlive the returned input.
EvaluationInput ToEvaluationInput(const v1::ValidateCertificateRequest& request);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_REQUEST_CONVERSION_H_
