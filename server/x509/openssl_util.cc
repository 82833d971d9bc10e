#include "server/x509/openssl_util.h"

#include <cstdint>
#include <ctime>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "absl/time/civil_time.h"
#include "server/common/utf8.h"
#include "server/x509/openssl_ptr.h"

namespace certguard::x509::internal {
namespace {

constexpr size_t kMaxErrorText = 512;

}  // namespace

std::string TakeOpenSslErrors() {
  std::string out;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    if (out.size() >= kMaxErrorText) continue;  // keep draining
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return Bounded(std::move(out), kMaxErrorText);
}

absl::Status InvalidWithOpenSslErrors(absl::string_view what) {
  std::string msg(what);
  std::string errors = TakeOpenSslErrors();
  if (!errors.empty()) msg += ": " + errors;
  return absl::InvalidArgumentError(msg);
}

absl::StatusOr<absl::Time> Asn1TimeToTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return InvalidWithOpenSslErrors("malformed time");
  }
  return absl::FromCivil(
      absl::CivilSecond(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec),
      absl::UTCTimeZone());
}

std::string NameToRfc2253(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    ERR_clear_error();
    return "";
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, len > 0 ? static_cast<size_t>(len) : 0);
}

std::string HexUpper(const unsigned char* data, size_t len) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(len * 2, '0');
  for (size_t i = 0; i < len; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

const EVP_MD* Sha1() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md;
}

const EVP_MD* Sha256() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

absl::Status ForEachPemBlock(absl::string_view pem,
                             const std::function<absl::Status(absl::string_view label, absl::string_view der)>& visit) {
  if (pem.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("PEM input too large");
  }
  ERR_clear_error();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return InvalidWithOpenSslErrors("BIO_new_mem_buf");
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
      const unsigned long err = ERR_peek_last_error();
      if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
        ERR_clear_error();  // no further block
        return absl::OkStatus();
      }
      return InvalidWithOpenSslErrors("malformed PEM block");
    }
    OpenSslStringPtr name_owner(name);
    OpenSslStringPtr header_owner(header);
    OpenSslBytesPtr data_owner(data);
    absl::Status status = visit(name, absl::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(len)));
    if (!status.ok()) return status;
  }
}

std::string Bounded(std::string s, size_t max) {
  if (s.size() > max) {
    s.resize(common::Utf8Prefix(s, max).size());  // never inside a character
    s += "...";
  }
  return s;
}

}  // namespace certguard::x509::internal
