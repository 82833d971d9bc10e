// Maps module-level errors (header decoding, chain verification) to stable reason codes.
#ifndef CERTGUARD_SERVER_SERVICE_REASON_MAPPING_H_
#define CERTGUARD_SERVER_SERVICE_REASON_MAPPING_H_

#include "certguard/v1/validator.pb.h"
#include "server/headers/decoder.h"
#include "server/x509/chain_verifier.h"

namespace certguard::service {

v1::Reason ReasonFor(headers::DecodeError error);
v1::Reason ReasonFor(x509::VerifyError error);
// One human sentence per reason code (the README's table uses the same sentences).
const char* ReasonSentence(v1::Reason reason);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_REASON_MAPPING_H_
