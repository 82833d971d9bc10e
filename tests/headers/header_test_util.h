// Shared helpers for the headers/ tests: real certificates from the shared CertFactory, and the
// encodings each proxy applies to them, written independently of the code under test.
#ifndef CERTGUARD_TESTS_HEADERS_HEADER_TEST_UTIL_H_
#define CERTGUARD_TESTS_HEADERS_HEADER_TEST_UTIL_H_

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "client/common/percent_encode.h"
#include "gtest/gtest.h"
#include "server/headers/cert_collector.h"
#include "server/headers/decode_status.h"
#include "server/headers/decoder.h"
#include "tests/testing/cert_factory.h"

namespace certguard::headers {

// Readable DecodeErrors in gtest failure messages.
inline void PrintTo(DecodeError error, std::ostream* os) {
  static constexpr const char* kNames[] = {"kNone",
                                           "kMalformed",
                                           "kHeaderTooLarge",
                                           "kTooManyCertificates",
                                           "kCertificateTooLarge",
                                           "kFormatNotAllowed",
                                           "kHeaderNotAllowed",
                                           "kHashMismatch"};
  const auto index = static_cast<size_t>(error);
  *os << (index < std::size(kNames) ? kNames[index] : "DecodeError(?)");
}

}  // namespace certguard::headers

namespace certguard::headers::testutil {

// One root -> intermediate -> leaf hierarchy per test binary (EC keys, generated in-process).
inline const testing::TestPki& Pki() {
  static const testing::TestPki* const pki = new testing::TestPki(testing::MakePki());
  return *pki;
}

// A second, unrelated self-signed certificate.
inline const testing::TestCert& OtherCert() {
  static const testing::TestCert* const cert = [] {
    testing::CertSpec spec;
    spec.cn = "other.example.com";
    return new testing::TestCert(testing::CertFactory::SelfSigned(spec));
  }();
  return *cert;
}

// Bytes shaped like one DER SEQUENCE of exactly `total` bytes: enough for the headers/ module,
// which checks only the outer SEQUENCE. `fill` varies the contents. Sizes that no DER length
// form can produce (130, 259, ...) and sizes over 65539 abort the test binary.
inline std::string FakeDer(size_t total, uint8_t fill = 0x5a) {
  std::string der(1, '\x30');
  size_t content = 0;
  if (total >= 2 && total <= 2 + 0x7f) {
    content = total - 2;
    der.push_back(static_cast<char>(content));
  } else if (total >= 3 + 0x80 && total <= 3 + 0xff) {
    content = total - 3;
    der.push_back('\x81');
    der.push_back(static_cast<char>(content));
  } else if (total >= 4 + 0x100 && total <= 4 + 0xffff) {
    content = total - 4;
    der.push_back('\x82');
    der.push_back(static_cast<char>(content >> 8));
    der.push_back(static_cast<char>(content & 0xff));
  } else {
    std::abort();
  }
  for (size_t i = 0; i < content; ++i) der.push_back(static_cast<char>(fill + i));
  return der;
}

// A 7-byte DER SEQUENCE whose base64 is "MAX/7z77+w==": it has '+', '/' and "==", the bytes
// proxies and decoders get wrong.
inline const std::string& TrickyDer() {
  static const std::string* const der = new std::string("\x30\x05\xff\xef\x3e\xfb\xfb", 7);
  return *der;
}
inline constexpr char kTrickyBase64[] = "MAX/7z77+w==";

inline std::string Base64(absl::string_view der) {
  return absl::Base64Escape(absl::string_view(der.data(), der.size()));
}

// One PEM block with 64-character lines and a final LF.
inline std::string PemOf(absl::string_view der) {
  const std::string b64 = Base64(der);
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) absl::StrAppend(&pem, b64.substr(i, 64), "\n");
  absl::StrAppend(&pem, "-----END CERTIFICATE-----\n");
  return pem;
}

inline std::string PemChain(const std::vector<std::string>& ders) {
  std::string out;
  for (const std::string& der : ders) out += PemOf(der);
  return out;
}

// AWS ALB: only space and LF are escaped; '+', '=' and '/' stay raw.
inline std::string AlbEscape(absl::string_view pem) { return absl::StrReplaceAll(pem, {{" ", "%20"}, {"\n", "%0A"}}); }

// nginx $ssl_client_escaped_cert / Envoy: everything but RFC 3986 unreserved bytes escaped.
inline std::string FullEscape(absl::string_view text, bool lower_hex = false) {
  return client::PercentEncodeAll(text, lower_hex);
}

// nginx $ssl_client_cert: a TAB after every LF but the last, and the last LF dropped.
inline std::string NginxTabbed(absl::string_view pem) {
  absl::string_view body = pem;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  return absl::StrReplaceAll(absl::string_view(body.data(), body.size()), {{"\n", "\n\t"}});
}

// RFC 8941 byte sequence.
inline std::string SfBinary(absl::string_view der) { return absl::StrCat(":", Base64(der), ":"); }

// Lower-case hex SHA-256 of `der` (from the shared factory's independent implementation).
inline std::string Sha256HexLower(const testing::TestCert& cert) {
  std::string hex = cert.sha256_hex();
  for (char& ch : hex) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return hex;
}

// One row of a decoder table: a header value and either the expected certificates or an error.
struct DecodeCase {
  std::string name;
  std::string value;
  DecodeError error = DecodeError::kNone;
  std::vector<std::string> der;  // expected when error == kNone
  DecodeLimits limits;
};

inline void PrintTo(const DecodeCase& c, std::ostream* os) { *os << c.name; }

inline DecodeCase Good(std::string name, std::string value, std::vector<std::string> der) {
  return DecodeCase{std::move(name), std::move(value), DecodeError::kNone, std::move(der), {}};
}

inline DecodeCase Bad(std::string name, std::string value, DecodeError error, DecodeLimits limits = {}) {
  return DecodeCase{std::move(name), std::move(value), error, {}, limits};
}

inline DecodeLimits MaxCertificates(size_t count) {
  DecodeLimits limits;
  limits.max_certificates = count;
  return limits;
}

inline DecodeLimits MaxCertificateBytes(size_t bytes) {
  DecodeLimits limits;
  limits.max_certificate_bytes = bytes;
  return limits;
}

// Runs a format decoder (a function of value and CertCollector*) on `c` and checks the outcome.
template <typename Decoder>
void ExpectDecodes(Decoder decoder, const DecodeCase& c) {
  CertCollector collector(c.limits);
  const absl::Status status = decoder(c.value, &collector);
  EXPECT_EQ(DecodeErrorOf(status), c.error) << status;
  EXPECT_LE(collector.size(), c.limits.max_certificates);
  if (c.error == DecodeError::kNone) {
    EXPECT_EQ(collector.certificates(), c.der);
  } else {
    EXPECT_LE(status.message().size(), 200u) << status;
  }
}

inline std::string TestName(const ::testing::TestParamInfo<DecodeCase>& info) { return info.param.name; }

// The DecodeError a status carries.
inline DecodeError ErrorOf(const absl::Status& status) { return DecodeErrorOf(status); }

// True when `message` is safe to show: bounded and printable ASCII only.
inline bool IsSafeMessage(absl::string_view message) {
  if (message.size() > 256) return false;
  for (char ch : message) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
}

}  // namespace certguard::headers::testutil

#endif  // CERTGUARD_TESTS_HEADERS_HEADER_TEST_UTIL_H_
