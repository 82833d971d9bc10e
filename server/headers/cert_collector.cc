#include "server/headers/cert_collector.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/decode_status.h"
#include "server/headers/der_check.h"

namespace certguard::headers {
namespace {

absl::Status TooLarge(size_t index, size_t limit) {
  return DecodeFailure(DecodeError::kCertificateTooLarge,
                       absl::StrCat("certificate ", index, " is larger than ", limit, " bytes"));
}

}  // namespace

absl::Status CertCollector::CheckRoom() const {
  if (certificates_.size() >= limits_.max_certificates) {
    return DecodeFailure(DecodeError::kTooManyCertificates,
                         absl::StrCat("more than ", limits_.max_certificates, " certificates"));
  }
  return absl::OkStatus();
}

absl::Status CertCollector::Add(std::string der) {
  absl::Status room = CheckRoom();
  if (!room.ok()) return room;
  const size_t index = certificates_.size() + 1;
  if (der.size() > limits_.max_certificate_bytes) {
    return TooLarge(index, limits_.max_certificate_bytes);
  }
  absl::Status shape = CheckDerSequence(der);
  if (!shape.ok()) return MalformedError(absl::StrCat("certificate ", index, ": ", shape.message()));
  certificates_.push_back(std::move(der));
  return absl::OkStatus();
}

absl::Status CertCollector::AddBase64(absl::string_view text, Base64Options options) {
  absl::Status room = CheckRoom();
  if (!room.ok()) return room;
  const size_t index = certificates_.size() + 1;
  options.max_decoded_bytes = limits_.max_certificate_bytes;
  absl::StatusOr<std::string> der = Base64Decode(text, options);
  if (!der.ok()) {
    if (der.status().code() == absl::StatusCode::kResourceExhausted) {
      return TooLarge(index, limits_.max_certificate_bytes);
    }
    return MalformedError(absl::StrCat("certificate ", index, ": ", der.status().message()));
  }
  return Add(*std::move(der));
}

std::vector<std::string> CertCollector::Release() {
  std::vector<std::string> out = std::move(certificates_);
  certificates_.clear();
  return out;
}

}  // namespace certguard::headers
