// ext_authz/: Envoy's external authorization API (envoy.service.auth.v3.Authorization/Check)
// in front of certguard's evaluator.
//
// A CheckRequest is turned into the evaluator's input (request_extraction.h): the certificate
// from the first configured source that carries one, the policy id from the route's
// context_extensions (or a server-wide default), and the request's path and scheme. The
// evaluator's decision becomes a CheckResponse (response_builder.h): ALLOW adds identity headers
// for the app and strips the forwarded-certificate headers; DENY carries an HTTP status and a
// small JSON body. Every failure on the way is a denial: Envoy always gets an answer (fail closed).
//
// This file holds the options every part shares. Plain data; thread-compatible.
#ifndef CERTGUARD_SERVER_EXT_AUTHZ_OPTIONS_H_
#define CERTGUARD_SERVER_EXT_AUTHZ_OPTIONS_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/headers/header_format.h"

namespace certguard::ext_authz {

// One place a CheckRequest may carry the client certificate.
struct CertSource {
  enum class Kind {
    kPeerCertificate,  // attributes.source.certificate: Envoy's own TLS peer, URL-encoded PEM
    kHeader,           // attributes.request.http.headers[header]
  };
  Kind kind = Kind::kHeader;
  std::string header;                                      // lower-case; kHeader only
  headers::Format format = headers::Format::kUnspecified;  // kUnspecified = detect
};

// Sources ParseCertSources accepts: "peer" (Envoy's peer certificate, include_peer_certificate:
// true) and any header name; headers::KnownHeaders() (server/headers/format_catalogue.cc) lists
// the ones proxies use, with who sends each. The default is the two sources Envoy itself vouches
// for (XFCC is sanitised by Envoy's default forward_client_cert_details). The first source with
// a non-blank value is used; the others are ignored. A header is only as trustworthy as the
// proxy that sets it: list only headers that the proxy in front of Envoy sets and strips from
// client requests. With a TLS listener that requires client certificates the peer certificate is
// always present and wins.
inline constexpr absl::string_view kDefaultCertSources = "peer,x-forwarded-client-cert";

// "peer" and every header name of headers::KnownHeaders() that carries a leaf, in its order: for
// deployments whose front proxy sets each of them and strips client-sent copies.
std::string AllCertSourcesSpec();

// Parses a comma-separated source list: "peer" or a header name, each optionally followed by
// "=FORMAT" (a certguard.v1.HeaderFormat name, e.g. "x-client-cert=URL_ENCODED_PEM"). Header
// names are lower-cased. INVALID_ARGUMENT for an empty list, a duplicate, a bad name or format,
// or "client-cert-chain" (always read together with client-cert).
absl::StatusOr<std::vector<CertSource>> ParseCertSources(absl::string_view spec);

// ParseCertSources(kDefaultCertSources) and ParseCertSources(AllCertSourcesSpec()).
std::vector<CertSource> DefaultCertSources();
std::vector<CertSource> AllCertSources();

// The inverse of ParseCertSources, for logs and --help.
std::string CertSourcesToString(const std::vector<CertSource>& sources);

// The request headers ALLOW adds for the app. Empty name = header not sent.
struct IdentityHeaderNames {
  std::string subject = "x-client-cert-subject";  // leaf subject DN (RFC 2253)
  std::string sha256 = "x-client-cert-sha256";    // upper-case hex SHA-256 of the leaf DER
  std::string issuer = "x-client-cert-issuer";    // leaf issuer DN (RFC 2253)
  std::string spiffe_id = "x-client-spiffe-id";   // the leaf's SPIFFE ID, when it has one
  std::string policy = "x-certguard-policy";      // the policy that decided
  std::string revision = "x-certguard-revision";  // the registry revision that decided
  std::string reason = "x-certguard-reason";      // OK, CERTIFICATE_ABSENT_ALLOWED, PATH_EXCLUDED

  // Every field, in the order above (names may be empty = header not set).
  std::array<const std::string*, 7> Fields() const {
    return {&subject, &sha256, &issuer, &spiffe_id, &policy, &revision, &reason};
  }
  // Every non-empty name, in the order above.
  std::vector<std::string> All() const;
};

// The default names with "x-" replaced by `prefix` ("x-" gives the defaults, "x-mtls-" gives
// "x-mtls-client-cert-subject", ...). INVALID_ARGUMENT unless `prefix` is lower-case letters,
// digits and '-'.
absl::StatusOr<IdentityHeaderNames> IdentityHeaderNamesWithPrefix(absl::string_view prefix);

struct ExtAuthzOptions {
  // Where to look for the certificate, in order (see kDefaultCertSources).
  std::vector<CertSource> cert_sources = DefaultCertSources();
  // The context_extensions key that names the policy (set per route in Envoy).
  std::string policy_context_key = "certguard_policy";
  // Policy used when the route names none; empty = such requests are denied (POLICY_ID_MISSING).
  std::string default_policy;
  IdentityHeaderNames identity_headers;
  // ALLOW removes every configured certificate header present in the request, so the app never
  // sees a spoofable copy. (Identity headers the client sent are always removed or overwritten.)
  bool remove_forwarded_headers = true;
  // The header name the peer certificate is evaluated under, for policies that pin header names
  // (headers.names). A pseudo-header name: no client can send it.
  std::string peer_certificate_name = ":peer-certificate";
  // Larger CheckRequests are denied (HEADER_TOO_LARGE) without evaluation.
  size_t max_request_bytes = 256 * 1024;
};

// OK when every header name is a lower-case token, the identity names are distinct and none of
// them is a certificate source. INVALID_ARGUMENT naming the problem otherwise.
absl::Status ValidateOptions(const ExtAuthzOptions& options);

}  // namespace certguard::ext_authz

#endif  // CERTGUARD_SERVER_EXT_AUTHZ_OPTIONS_H_
