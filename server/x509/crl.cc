#include "server/x509/crl.h"

#include <cstdint>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "server/common/status_macros.h"
#include "server/x509/openssl_ptr.h"
#include "server/x509/openssl_util.h"

namespace certguard::x509 {
namespace {

// Parses one DER CRL and checks that its times are readable (the Crl constructor relies on it).
absl::StatusOr<X509CrlPtr> ParseDer(const unsigned char* data, size_t len) {
  const unsigned char* p = data;
  X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(len)));
  if (crl == nullptr) return internal::InvalidWithOpenSslErrors("malformed CRL DER");
  if (p != data + len) return absl::InvalidArgumentError("trailing bytes after CRL DER");
  RETURN_IF_ERROR(internal::Asn1TimeToTime(X509_CRL_get0_lastUpdate(crl.get())).status());
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get()); next != nullptr) {
    RETURN_IF_ERROR(internal::Asn1TimeToTime(next).status());
  }
  return crl;
}

}  // namespace

Crl::Crl(X509_CRL* crl) : crl_(crl) {
  // Times were validated by Wrap(); conversion cannot fail here.
  this_update_ = internal::Asn1TimeToTime(X509_CRL_get0_lastUpdate(crl_)).value();
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl_);
  next_update_ = next == nullptr ? absl::InfiniteFuture() : internal::Asn1TimeToTime(next).value();
  number_ = static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl_, NID_crl_number, nullptr, nullptr));
  delta_base_ = static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl_, NID_delta_crl, nullptr, nullptr));
  // The first serial lookup sorts the revoked list under the CRL's lock; do it now so that
  // verification threads only ever read. The signed encoding is cached and unaffected.
  Asn1IntegerPtr zero(ASN1_INTEGER_new());
  X509_REVOKED* unused = nullptr;
  if (zero != nullptr) X509_CRL_get0_by_serial(crl_, &unused, zero.get());
}

Crl::~Crl() {
  ASN1_INTEGER_free(number_);
  ASN1_INTEGER_free(delta_base_);
  X509_CRL_free(crl_);
}

absl::StatusOr<std::vector<CrlPtr>> Crl::Parse(absl::string_view bytes) {
  if (bytes.empty()) return absl::InvalidArgumentError("empty CRL input");
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("CRL input too large");
  }
  ERR_clear_error();
  std::vector<CrlPtr> out;
  // PEM when the input starts with a BEGIN line or carries a CRL block anywhere (leading
  // commentary is common in CRL files); DER otherwise.
  const absl::string_view text(bytes.data(), bytes.size());
  const bool pem = absl::StartsWith(absl::StripLeadingAsciiWhitespace(text), "-----BEGIN") ||
                   absl::StrContains(text, "-----BEGIN X509 CRL-----");
  if (!pem) {
    ASSIGN_OR_RETURN(X509CrlPtr crl, ParseDer(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
    out.push_back(CrlPtr(new Crl(crl.release())));
    return out;
  }
  RETURN_IF_ERROR(
      internal::ForEachPemBlock(bytes, [&out](absl::string_view label, absl::string_view der) -> absl::Status {
        if (label != PEM_STRING_X509_CRL) return absl::OkStatus();
        ASSIGN_OR_RETURN(X509CrlPtr crl, ParseDer(reinterpret_cast<const unsigned char*>(der.data()), der.size()));
        out.push_back(CrlPtr(new Crl(crl.release())));
        return absl::OkStatus();
      }));
  if (out.empty()) return absl::InvalidArgumentError("no X509 CRL block in PEM input");
  return out;
}

}  // namespace certguard::x509
