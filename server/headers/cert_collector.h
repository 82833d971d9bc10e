// Accumulates the certificates decoded from one request while enforcing DecodeLimits.
#ifndef CERTGUARD_SERVER_HEADERS_CERT_COLLECTOR_H_
#define CERTGUARD_SERVER_HEADERS_CERT_COLLECTOR_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/headers/base64.h"
#include "server/headers/decoder.h"

namespace certguard::headers {

// Every format decoder appends through a CertCollector, so the count and size limits are
// applied in one place and before any unbounded work: CheckRoom() fails before the certificate
// that would exceed max_certificates is decoded, and base64 decoding stops at
// max_certificate_bytes. Errors carry DecodeErrors (see decode_status.h). Not thread-safe.
class CertCollector {
 public:
  explicit CertCollector(const DecodeLimits& limits) : limits_(limits) {}

  CertCollector(const CertCollector&) = delete;
  CertCollector& operator=(const CertCollector&) = delete;

  // kTooManyCertificates unless one more certificate fits.
  absl::Status CheckRoom() const;

  // Appends `der` after checking room, size (kCertificateTooLarge) and DER shape (kMalformed).
  absl::Status Add(std::string der);

  // Decodes base64 `text` with `options` (its max_decoded_bytes is replaced by the size limit)
  // and Add()s the result. Base64 errors become kMalformed.
  absl::Status AddBase64(absl::string_view text, Base64Options options);

  const std::vector<std::string>& certificates() const { return certificates_; }
  size_t size() const { return certificates_.size(); }
  const DecodeLimits& limits() const { return limits_; }

  // Moves the certificates out; the collector is empty afterwards.
  std::vector<std::string> Release();

 private:
  DecodeLimits limits_;
  std::vector<std::string> certificates_;
};

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_CERT_COLLECTOR_H_
