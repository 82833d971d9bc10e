// Small internal helpers shared by the x509/ sources: OpenSSL error text, ASN.1 time and
// name conversion, hex and digests. Not part of the module's public surface.
#ifndef CERTGUARD_SERVER_X509_OPENSSL_UTIL_H_
#define CERTGUARD_SERVER_X509_OPENSSL_UTIL_H_

#include <functional>
#include <string>

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace certguard::x509::internal {

// Drains this thread's OpenSSL error queue into one bounded line ("" when empty).
std::string TakeOpenSslErrors();

// InvalidArgument with `what` plus the drained OpenSSL error queue.
absl::Status InvalidWithOpenSslErrors(absl::string_view what);

// Converts an ASN1_TIME (UTCTime or GeneralizedTime) to absl::Time.
absl::StatusOr<absl::Time> Asn1TimeToTime(const ASN1_TIME* t);

// RFC 2253 rendering of a name (X509_NAME_print_ex with XN_FLAG_RFC2253).
std::string NameToRfc2253(const X509_NAME* name);

// Upper-case hex of `len` bytes, no separators.
std::string HexUpper(const unsigned char* data, size_t len);

// Process-wide pre-fetched digests (fetched once; safe to share across threads).
const EVP_MD* Sha1();
const EVP_MD* Sha256();

// Calls `visit(label, der)` for every PEM block of `pem` in order (text outside blocks is
// ignored) and stops at the first error `visit` returns. A malformed block -> InvalidArgument.
absl::Status ForEachPemBlock(absl::string_view pem,
                             const std::function<absl::Status(absl::string_view label, absl::string_view der)>& visit);

// Truncates `s` to at most `max` bytes, appending "..." when cut.
std::string Bounded(std::string s, size_t max);

}  // namespace certguard::x509::internal

#endif  // CERTGUARD_SERVER_X509_OPENSSL_UTIL_H_
