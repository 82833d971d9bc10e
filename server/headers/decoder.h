// headers/: turns forwarded-certificate header values into DER certificates.
//
// Every byte of a header is hostile: sizes are bounded before any decoding, every malformed
// input yields a DecodeError (never a crash), and decoded certificates are untrusted bytes.
// This module knows nothing of policies, X.509 semantics or gRPC. All functions are pure and
// thread-safe.
#ifndef CERTGUARD_SERVER_HEADERS_DECODER_H_
#define CERTGUARD_SERVER_HEADERS_DECODER_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "server/headers/header_format.h"

namespace certguard::headers {

// Why decoding failed. Stable; the policy layer maps each value to a reason code.
enum class DecodeError {
  kNone = 0,
  kMalformed,            // the value is in no known format or is corrupt
  kHeaderTooLarge,       // total header bytes over max_header_bytes (checked first)
  kTooManyCertificates,  // more than max_certificates certificates
  kCertificateTooLarge,  // one certificate's DER over max_certificate_bytes
  kFormatNotAllowed,     // detected/given format not in allowed_formats
  kHeaderNotAllowed,     // header name not in allowed_header_names
  kHashMismatch,         // XFCC Hash= does not equal SHA-256 of the decoded leaf
};

struct DecodeLimits {
  size_t max_header_bytes = 64 * 1024;  // sum of all header names and values
  size_t max_certificates = 10;         // leaf + chain
  size_t max_certificate_bytes = 16 * 1024;
};

// Which XFCC element to use when several proxies appended one.
enum class XfccElement { kLast, kFirst };

struct DecodeOptions {
  DecodeLimits limits;
  XfccElement xfcc_element = XfccElement::kLast;
  std::vector<Format> allowed_formats;            // empty = all
  std::vector<std::string> allowed_header_names;  // lower-case; empty = all
};

// One forwarded header. `name` may be empty (unknown), matched case-insensitively.
struct HeaderInput {
  absl::string_view name;
  absl::string_view value;
  Format format = Format::kUnspecified;
};

// The XFCC element's other fields, for identity cross-checks and logs.
struct XfccMetadata {
  std::string by;
  std::string hash_hex;  // as forwarded, lower-cased
  std::string subject;   // unquoted, unescaped
  std::vector<std::string> uri;
  std::vector<std::string> dns;
};

// Decoded certificates: der[0] is the leaf, the rest are untrusted chain material in the
// order received (any anchor they contain is ignored by verification).
struct DecodedChain {
  std::vector<std::string> der;
  Format format = Format::kUnspecified;  // the leaf header's format after detection
  std::string header_name;               // the leaf header's name as given
  std::optional<XfccMetadata> xfcc;
};

struct DecodeResult {
  DecodeError error = DecodeError::kNone;
  std::string message;  // human-readable, bounded, never echoes more than a short prefix of input
  bool absent = false;  // no certificate was presented (every value empty or whitespace)
  DecodedChain chain;   // valid when error == kNone && !absent
};

// Decodes the headers of one request. Headers that carry a chain only (Client-Cert-Chain)
// are combined with the leaf header; several leaf headers in one request are kMalformed.
DecodeResult DecodeHeaders(std::span<const HeaderInput> headers, const DecodeOptions& options);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_DECODER_H_
