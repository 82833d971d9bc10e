// Turns a ValidateCertificateRequest into the evaluator's input (views into the request).
#ifndef CERTGUARD_SERVER_SERVICE_REQUEST_CONVERSION_H_
#define CERTGUARD_SERVER_SERVICE_REQUEST_CONVERSION_H_

#include "certguard/v1/validator.pb.h"
#include "server/service/evaluator.h"

namespace certguard::service {

// `request` must outlive the returned input.
EvaluationInput ToEvaluationInput(const v1::ValidateCertificateRequest& request);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_REQUEST_CONVERSION_H_
