// Certificate::FromPemBundle: PEM framing on top of Certificate::FromDer.
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdint>
#include <cstring>

#include "server/common/status_macros.h"
#include "server/x509/certificate.h"
#include "server/x509/openssl_ptr.h"
#include "server/x509/openssl_util.h"

namespace certguard::x509 {

absl::StatusOr<std::vector<std::shared_ptr<const Certificate>>> Certificate::FromPemBundle(
    std::string_view pem) {
  if (pem.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("PEM bundle too large");
  }
  ERR_clear_error();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return internal::InvalidWithOpenSslErrors("BIO_new_mem_buf");
  std::vector<std::shared_ptr<const Certificate>> out;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
      const unsigned long err = ERR_peek_last_error();
      if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
        ERR_clear_error();  // end of input
        break;
      }
      return internal::InvalidWithOpenSslErrors("malformed PEM block");
    }
    OpenSslStringPtr name_owner(name);
    OpenSslStringPtr header_owner(header);
    std::string der(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
    OPENSSL_free(data);
    if (std::strcmp(name, PEM_STRING_X509) != 0) continue;  // keys, CRLs, ...: not ours
    ASSIGN_OR_RETURN(auto cert, FromDer(der));
    out.push_back(std::move(cert));
  }
  if (out.empty()) return absl::InvalidArgumentError("no CERTIFICATE block in PEM input");
  return out;
}

}  // namespace certguard::x509
