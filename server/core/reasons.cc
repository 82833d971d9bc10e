#include "server/core/reasons.h"

namespace certguard::core {
namespace {

constexpr ReasonInfo kReasons[] = {
    {v1::OK, v1::ALLOW, "the certificate satisfies the policy"},
    {v1::CERTIFICATE_ABSENT_ALLOWED, v1::ALLOW, "no certificate was presented and the policy makes it optional"},
    {v1::PATH_EXCLUDED, v1::ALLOW, "the request path is excluded from certificate checks"},
    {v1::HTTPS_REQUIRED, v1::DENY, "the request did not arrive over HTTPS and the policy requires HTTPS"},
    {v1::CERTIFICATE_MISSING, v1::DENY, "no client certificate was presented and the policy requires one"},
    {v1::POLICY_ID_MISSING, v1::DENY, "no policy id was given and no default policy is configured"},
    {v1::MALFORMED_HEADER, v1::DENY, "the certificate header could not be decoded"},
    {v1::HEADER_TOO_LARGE, v1::DENY, "the certificate header is larger than the limit"},
    {v1::TOO_MANY_CERTIFICATES, v1::DENY, "more certificates were forwarded than the limit"},
    {v1::CERTIFICATE_TOO_LARGE, v1::DENY, "a forwarded certificate is larger than the limit"},
    {v1::FORMAT_NOT_ALLOWED, v1::DENY, "the header format is not accepted by the policy"},
    {v1::HEADER_NOT_ALLOWED, v1::DENY, "the header name is not accepted by the policy"},
    {v1::XFCC_HASH_MISMATCH, v1::DENY, "the XFCC Hash does not match the forwarded certificate"},
    {v1::MALFORMED_CERTIFICATE, v1::DENY, "a forwarded certificate is not valid X.509 DER"},
    {v1::UNTRUSTED_CHAIN, v1::DENY, "the certificate does not chain to a trust anchor of the policy"},
    {v1::SELF_SIGNED_NOT_ALLOWED, v1::DENY,
     "the certificate is self-signed and the policy accepts chained certificates only"},
    {v1::CHAINED_NOT_ALLOWED, v1::DENY,
     "the certificate is CA-issued and the policy accepts self-signed certificates only"},
    {v1::CHAIN_TOO_LONG, v1::DENY, "the certification path is longer than the policy's maximum depth"},
    {v1::SIGNATURE_INVALID, v1::DENY, "a signature in the certification path does not verify"},
    {v1::EXPIRED, v1::DENY, "a certificate in the path has expired"},
    {v1::NOT_YET_VALID, v1::DENY, "a certificate in the path is not yet valid"},
    {v1::INVALID_CA, v1::DENY, "an issuer in the path is not a valid CA"},
    {v1::CHAIN_INVALID, v1::DENY, "the certification path is invalid"},
    {v1::NAME_CONSTRAINTS_VIOLATED, v1::DENY, "a name in the path violates a CA's name constraints"},
    {v1::EKU_MISMATCH, v1::DENY, "the certificate lacks a required extended key usage"},
    {v1::KEY_USAGE_MISMATCH, v1::DENY, "the certificate lacks a required key usage"},
    {v1::LEAF_IS_CA, v1::DENY, "the client certificate is a CA certificate"},
    {v1::CERTIFICATE_VERSION_INVALID, v1::DENY, "a certificate is not X.509 version 3"},
    {v1::KEY_TOO_SMALL, v1::DENY, "a key is smaller than the policy's minimum"},
    {v1::KEY_TOO_LARGE, v1::DENY, "a key is larger than the policy's maximum"},
    {v1::CURVE_NOT_ALLOWED, v1::DENY, "an elliptic curve is not allowed by the policy"},
    {v1::KEY_ALGORITHM_NOT_ALLOWED, v1::DENY, "a key algorithm is not allowed by the policy"},
    {v1::SIGNATURE_ALGORITHM_NOT_ALLOWED, v1::DENY, "a signature algorithm is not allowed by the policy"},
    {v1::STRICT_PROFILE_VIOLATION, v1::DENY, "a certificate violates the strict profile"},
    {v1::THUMBPRINT_NOT_ALLOWED, v1::DENY, "the certificate's thumbprint is not pinned by the policy"},
    {v1::SUBJECT_MISMATCH, v1::DENY, "the certificate's subject does not match the policy"},
    {v1::ISSUER_MISMATCH, v1::DENY, "the certificate's issuer does not match the policy"},
    {v1::SAN_MISMATCH, v1::DENY, "no subject alternative name matches the policy"},
    {v1::SPIFFE_ID_MISMATCH, v1::DENY, "the SPIFFE ID is not allowed by the policy"},
    {v1::SPIFFE_SVID_INVALID, v1::DENY, "the certificate is not a valid X.509-SVID"},
    {v1::SPKI_PIN_MISMATCH, v1::DENY, "the certificate's public key is not pinned by the policy"},
    {v1::SERIAL_NOT_ALLOWED, v1::DENY, "the certificate's serial number is not allowed"},
    {v1::IDENTITY_MISMATCH, v1::DENY, "none of the policy's identities matches the certificate"},
    {v1::CA_EKU_MISMATCH, v1::DENY, "a CA certificate in the path does not allow the required extended key usage"},
    {v1::CERTIFICATE_POLICY_INVALID, v1::DENY, "certificate policy processing rejected the path"},
    {v1::REVOKED, v1::DENY, "the certificate has been revoked"},
    {v1::REVOCATION_UNKNOWN, v1::DENY, "the revocation status could not be determined"},
    {v1::INTERNAL_ERROR, v1::DENY, "an internal error occurred; the request is denied"},
};

}  // namespace

absl::Span<const ReasonInfo> AllReasons() { return kReasons; }

const char* ReasonSentence(v1::Reason reason) {
  for (const ReasonInfo& info : kReasons) {
    if (info.reason == reason) return info.sentence;
  }
  return "unknown reason";
}

}  // namespace certguard::core
