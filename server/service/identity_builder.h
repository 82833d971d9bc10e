// Fills the response's Identity from a parsed leaf certificate.
#ifndef CERTGUARD_SERVER_SERVICE_IDENTITY_BUILDER_H_
#define CERTGUARD_SERVER_SERVICE_IDENTITY_BUILDER_H_

#include "certguard/v1/validator.pb.h"
#include "server/x509/certificate.h"

namespace certguard::service {

void FillIdentity(const x509::CertificateInfo& info, v1::Identity* identity);

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_IDENTITY_BUILDER_H_
