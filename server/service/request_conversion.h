// Turns a ValidateCertificateRequest (read in place, or parsed) into the evaluator's input:
// views into the request's bytes. One rule for both forms.
#ifndef CERTGUARD_SERVER_SERVICE_REQUEST_CONVERSION_H_
#define CERTGUARD_SERVER_SERVICE_REQUEST_CONVERSION_H_

#include "certguard/v1/validator.pb.h"
#include "server/service/evaluator.h"
#include "server/service/request_view.h"

namespace certguard::service {

// The request's header value and name (when either is set) first, then its repeated headers;
// the path and the stated scheme. The bytes `request` views must outlive the returned input.
EvaluationInput ToEvaluationInput(const RequestView& request);
// The same for a parsed request, which must outlive the returned input.
EvaluationInput ToEvaluationInput(const v1::ValidateCertificateRequest& request);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_REQUEST_CONVERSION_H_
