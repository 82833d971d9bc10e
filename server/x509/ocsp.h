// OCSP (RFC 6960) without I/O: builds a request for a verified leaf and verifies a DER response
// against the leaf's verified issuer path. The HTTP transport and the response cache live in
// server/revocation/. Stateless and thread-safe.
#ifndef CERTGUARD_SERVER_X509_OCSP_H_
#define CERTGUARD_SERVER_X509_OCSP_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/x509/certificate.h"

namespace certguard::x509 {

// Largest OCSP response accepted (bytes); larger bodies are refused before parsing.
inline constexpr size_t kMaxOcspResponseBytes = 64 * 1024;

enum class OcspCertStatus { kGood, kRevoked, kUnknown };

struct OcspRequest {
  std::string der;          // DER OCSPRequest, the body to POST
  std::string cert_id_der;  // DER CertID (SHA-1 issuer name/key hashes + serial): the cache key
  bool has_nonce = false;
};

// The first http(s) OCSP responder URI of the certificate's Authority Information Access
// extension, or "" when there is none.
std::string OcspUrlFromAia(const Certificate& cert);

// A request for `leaf` as issued by `issuer` (its verified issuer, which signed it). With
// `add_nonce` a random 16-byte nonce is included.
absl::StatusOr<OcspRequest> BuildOcspRequest(const Certificate& leaf, const Certificate& issuer, bool add_nonce);

struct OcspResponseInfo {
  OcspCertStatus status = OcspCertStatus::kUnknown;
  absl::Time revocation_time = absl::InfinitePast();  // kRevoked only
  int revocation_reason = -1;                         // CRLReason, -1 when absent
  absl::Time this_update;
  absl::Time next_update = absl::InfiniteFuture();  // InfiniteFuture when the response has none
};

// Verifies `response_der` as the answer to `request`:
//   * responseStatus successful and a BasicOCSPResponse;
//   * signed by the issuer itself or by a delegated responder it issued with id-kp-OCSPSigning
//     (OCSP_basic_verify); the signer's chain is verified at `now` against `issuer_path` (the
//     leaf's issuer first, then the certificates above it in the verified path, all trusted);
//   * when the request carried a nonce, a nonce in the response must match (a response without
//     one is accepted: most responders serve pre-produced responses);
//   * a SingleResponse for the request's CertID with thisUpdate <= now + skew and, when present,
//     nextUpdate >= now - skew. (OCSP_check_validity is not used: it reads the wall clock.)
// Errors: InvalidArgument (malformed / too large), FailedPrecondition (responder error status,
// stale or not-yet-valid response), Unauthenticated (signature or signer not acceptable),
// NotFound (no answer for this certificate).
absl::StatusOr<OcspResponseInfo> VerifyOcspResponse(absl::string_view response_der, const OcspRequest& request,
                                                    std::span<const CertificatePtr> issuer_path, absl::Time now,
                                                    absl::Duration skew);

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_OCSP_H_
