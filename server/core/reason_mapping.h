// Maps module-level errors (header decoding, chain verification) to stable reason codes
// (core/reasons.h is the catalogue of the codes themselves).
#ifndef CERTGUARD_SERVER_CORE_REASON_MAPPING_H_
#define CERTGUARD_SERVER_CORE_REASON_MAPPING_H_

#include "certguard/v1/validator.pb.h"
#include "server/headers/decoder.h"
#include "server/x509/chain_verifier.h"

namespace certguard::core {

v1::Reason ReasonFor(headers::DecodeError error);
v1::Reason ReasonFor(x509::VerifyError error);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_REASON_MAPPING_H_
