// Certificate::FromPemBundle: PEM framing on top of Certificate::FromDer.
#include <openssl/pem.h>

#include "server/x509/certificate.h"
#include "server/x509/openssl_util.h"

namespace certguard::x509 {

absl::StatusOr<std::vector<std::shared_ptr<const Certificate>>> Certificate::FromPemBundle(absl::string_view pem) {
  std::vector<std::shared_ptr<const Certificate>> out;
  absl::Status status =
      internal::ForEachPemBlock(pem, [&out](absl::string_view label, absl::string_view der) -> absl::Status {
        if (label != PEM_STRING_X509) return absl::OkStatus();  // keys, CRLs, ...: not ours
        auto cert = FromDer(der);
        if (!cert.ok()) return cert.status();
        out.push_back(*std::move(cert));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (out.empty()) return absl::InvalidArgumentError("no CERTIFICATE block in PEM input");
  return out;
}

}  // namespace certguard::x509
