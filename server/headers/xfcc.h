// XFCC: X-Forwarded-Client-Cert from Envoy, Istio and Azure Container Apps.
#ifndef CERTGUARD_SERVER_HEADERS_XFCC_H_
#define CERTGUARD_SERVER_HEADERS_XFCC_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decoder.h"

namespace certguard::headers {

// Parses the whole header (ParseXfcc: every element must be well-formed), takes the first or
// last element per `which`, appends its certificates to `out` and returns its other fields.
//
// Keys (case-insensitive): By, Hash, Cert, Chain, Subject (at most once each), URI and DNS
// (repeatable; empty values are skipped); other keys are ignored. Cert is a URL-encoded PEM
// holding exactly the leaf; Chain a URL-encoded PEM chain that includes the leaf. With both,
// Cert is the leaf and Chain's other certificates follow in order, copies of the leaf dropped;
// with Chain only, its first certificate is the leaf. Hash, when present, is 64 hex digits that
// must equal SHA-256 of the leaf DER (else kHashMismatch).
// kMalformed: grammar errors, a repeated single-valued key (a second Cert), an empty Hash, Cert
// or Chain, no Cert and no Chain, a Cert with other than one certificate, URL or PEM errors.
absl::StatusOr<XfccMetadata> DecodeXfcc(absl::string_view value, XfccElement which, CertCollector* out);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_XFCC_H_
