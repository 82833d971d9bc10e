// Fills the response's Identity from a parsed leaf certificate.
#ifndef CERTGUARD_SERVER_CORE_IDENTITY_BUILDER_H_
#define CERTGUARD_SERVER_CORE_IDENTITY_BUILDER_H_

#include "certguard/v1/validator.pb.h"
#include "server/x509/certificate.h"

namespace certguard::core {

void FillIdentity(const x509::CertificateInfo& info, v1::Identity* identity);

// `t` in whole seconds, clamped to what google.protobuf.Timestamp can hold
// (0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z): certificates may carry year 0000 or
// 9999-12-31T23:59:59Z plus a clock skew, and a Timestamp out of range makes the response
// unprintable as JSON.
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_IDENTITY_BUILDER_H_
