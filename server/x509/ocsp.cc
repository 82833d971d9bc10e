#include "server/x509/ocsp.h"

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/x509/openssl_ptr.h"
#include "server/x509/openssl_util.h"

namespace certguard::x509 {
namespace {

using OcspRequestPtr = OpenSslPtr<OCSP_REQUEST, OCSP_REQUEST_free>;
using OcspResponsePtr = OpenSslPtr<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = OpenSslPtr<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OcspCertIdPtr = OpenSslPtr<OCSP_CERTID, OCSP_CERTID_free>;
inline void FreeAccessDescriptions(AUTHORITY_INFO_ACCESS* a) { AUTHORITY_INFO_ACCESS_free(a); }
using AiaPtr = OpenSslPtr<AUTHORITY_INFO_ACCESS, FreeAccessDescriptions>;

template <typename T, int (*I2d)(const T*, unsigned char**)>
absl::StatusOr<std::string> ToDer(const T* obj, const char* what) {
  unsigned char* out = nullptr;
  int len = I2d(obj, &out);
  if (len <= 0) return internal::InvalidWithOpenSslErrors(absl::StrCat("encoding ", what));
  std::string der(reinterpret_cast<const char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return der;
}

}  // namespace

std::string OcspUrlFromAia(const Certificate& cert) {
  AiaPtr aia(static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(cert.raw(), NID_info_access, nullptr, nullptr)));
  if (aia == nullptr) return "";
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
    const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
    if (OBJ_obj2nid(ad->method) != NID_ad_OCSP || ad->location->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = ad->location->d.uniformResourceIdentifier;
    std::string url(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                    static_cast<size_t>(ASN1_STRING_length(uri)));
    if (absl::StartsWithIgnoreCase(url, "http://") || absl::StartsWithIgnoreCase(url, "https://")) {
      return url;
    }
  }
  return "";
}

absl::StatusOr<OcspRequest> BuildOcspRequest(const Certificate& leaf, const Certificate& issuer, bool add_nonce) {
  OcspCertIdPtr id(OCSP_cert_to_id(nullptr, leaf.raw(), issuer.raw()));
  if (id == nullptr) return internal::InvalidWithOpenSslErrors("OCSP_cert_to_id");
  OcspRequest out;
  auto id_der = ToDer<OCSP_CERTID, i2d_OCSP_CERTID>(id.get(), "OCSP CertID");
  if (!id_der.ok()) return id_der.status();
  out.cert_id_der = *std::move(id_der);

  OcspRequestPtr req(OCSP_REQUEST_new());
  if (req == nullptr) return internal::InvalidWithOpenSslErrors("OCSP_REQUEST_new");
  if (OCSP_request_add0_id(req.get(), id.get()) == nullptr) {
    return internal::InvalidWithOpenSslErrors("OCSP_request_add0_id");
  }
  id.release();  // owned by the request now
  if (add_nonce) {
    if (OCSP_request_add1_nonce(req.get(), nullptr, 16) != 1) {
      return internal::InvalidWithOpenSslErrors("OCSP_request_add1_nonce");
    }
    out.has_nonce = true;
  }
  auto der = ToDer<OCSP_REQUEST, i2d_OCSP_REQUEST>(req.get(), "OCSP request");
  if (!der.ok()) return der.status();
  out.der = *std::move(der);
  return out;
}

absl::StatusOr<OcspResponseInfo> VerifyOcspResponse(absl::string_view response_der, const OcspRequest& request,
                                                    std::span<const CertificatePtr> issuer_path, absl::Time now,
                                                    absl::Duration skew) {
  if (response_der.size() > kMaxOcspResponseBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("OCSP response of ", response_der.size(), " bytes exceeds ", kMaxOcspResponseBytes));
  }
  if (issuer_path.empty()) return absl::InvalidArgumentError("OCSP: no issuer to verify against");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(response_der.data());
  OcspResponsePtr resp(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(response_der.size())));
  if (resp == nullptr || p != reinterpret_cast<const unsigned char*>(response_der.data()) + response_der.size()) {
    return internal::InvalidWithOpenSslErrors("malformed OCSP response");
  }
  const int resp_status = OCSP_response_status(resp.get());
  if (resp_status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    return absl::FailedPreconditionError(
        absl::StrCat("OCSP responder answered ", OCSP_response_status_str(resp_status)));
  }
  OcspBasicPtr basic(OCSP_response_get1_basic(resp.get()));
  if (basic == nullptr) return internal::InvalidWithOpenSslErrors("OCSP response is not a basic response");

  if (request.has_nonce) {
    const unsigned char* rp = reinterpret_cast<const unsigned char*>(request.der.data());
    OcspRequestPtr req(d2i_OCSP_REQUEST(nullptr, &rp, static_cast<long>(request.der.size())));
    if (req == nullptr) return internal::InvalidWithOpenSslErrors("re-reading the OCSP request");
    if (OCSP_check_nonce(req.get(), basic.get()) == 0) {
      return absl::UnauthenticatedError("OCSP response nonce does not match the request");
    }
  }

  // Signature and signer: the issuer path is trusted (partial chain), checked at `now`.
  X509StorePtr store(X509_STORE_new());
  X509StackShallowPtr certs(sk_X509_new_null());
  if (store == nullptr || certs == nullptr) return absl::InternalError("OCSP: out of memory");
  for (const CertificatePtr& c : issuer_path) {
    if (X509_STORE_add_cert(store.get(), c->raw()) != 1 || sk_X509_push(certs.get(), c->raw()) <= 0) {
      return internal::InvalidWithOpenSslErrors("OCSP: building the verification store");
    }
  }
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_time(param, absl::ToTimeT(now));
  if (OCSP_basic_verify(basic.get(), certs.get(), store.get(), 0) <= 0) {
    return absl::UnauthenticatedError(
        absl::StrCat("OCSP response signature or signer not acceptable: ", internal::TakeOpenSslErrors()));
  }

  const unsigned char* ip = reinterpret_cast<const unsigned char*>(request.cert_id_der.data());
  OcspCertIdPtr id(d2i_OCSP_CERTID(nullptr, &ip, static_cast<long>(request.cert_id_der.size())));
  if (id == nullptr) return internal::InvalidWithOpenSslErrors("re-reading the OCSP CertID");
  int status = -1, reason = -1;
  ASN1_GENERALIZEDTIME *revtime = nullptr, *thisupd = nullptr, *nextupd = nullptr;
  if (OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revtime, &thisupd, &nextupd) != 1) {
    return absl::NotFoundError("the OCSP response has no answer for this certificate");
  }
  OcspResponseInfo info;
  auto this_update = internal::Asn1TimeToTime(thisupd);
  if (thisupd == nullptr || !this_update.ok()) return absl::InvalidArgumentError("OCSP thisUpdate unreadable");
  info.this_update = *this_update;
  if (nextupd != nullptr) {
    auto next_update = internal::Asn1TimeToTime(nextupd);
    if (!next_update.ok()) return absl::InvalidArgumentError("OCSP nextUpdate unreadable");
    info.next_update = *next_update;
  }
  if (info.this_update > now + skew) {
    return absl::FailedPreconditionError(
        absl::StrCat("OCSP response thisUpdate ", absl::FormatTime(info.this_update), " is in the future"));
  }
  if (info.next_update < now - skew) {
    return absl::FailedPreconditionError(
        absl::StrCat("OCSP response expired at ", absl::FormatTime(info.next_update), " (nextUpdate)"));
  }
  switch (status) {
    case V_OCSP_CERTSTATUS_GOOD:
      info.status = OcspCertStatus::kGood;
      break;
    case V_OCSP_CERTSTATUS_REVOKED: {
      info.status = OcspCertStatus::kRevoked;
      info.revocation_reason = reason;
      if (revtime != nullptr) {
        auto when = internal::Asn1TimeToTime(revtime);
        if (when.ok()) info.revocation_time = *when;
      }
      break;
    }
    default:
      info.status = OcspCertStatus::kUnknown;
      break;
  }
  return info;
}

}  // namespace certguard::x509
