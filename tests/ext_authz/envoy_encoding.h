// How Envoy encodes certificates in ext_authz requests, for tests (header-only).
#ifndef CERTGUARD_TESTS_EXT_AUTHZ_ENVOY_ENCODING_H_
#define CERTGUARD_TESTS_EXT_AUTHZ_ENVOY_ENCODING_H_

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace certguard::testing {

// Envoy's urlEncodedPemEncodedPeerCertificate(): the PEM with '\n', ' ', '+', '/' and '='
// percent-encoded. This is attributes.source.certificate and the XFCC Cert= value.
inline std::string EnvoyUrlEncodePem(const std::string& pem) {
  return absl::StrReplaceAll(pem, {{"\n", "%0A"}, {" ", "%20"}, {"+", "%2B"}, {"/", "%2F"}, {"=", "%3D"}});
}

// An XFCC element as Envoy writes it with forward_client_cert_details SANITIZE_SET and
// set_current_client_cert_details {subject, cert, dns}.
inline std::string EnvoyXfcc(const std::string& sha256_hex, const std::string& pem, const std::string& subject,
                             const std::string& dns) {
  return absl::StrCat("By=spiffe://cluster.local/ns/default/sa/app;Hash=", absl::AsciiStrToLower(sha256_hex),
                      ";Cert=\"", EnvoyUrlEncodePem(pem), "\";Subject=\"", subject, "\";DNS=", dns);
}

// RFC 9440 sf-binary of DER given as base64.
inline std::string SfBinary(const std::string& base64_der) { return absl::StrCat(":", base64_der, ":"); }

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_EXT_AUTHZ_ENVOY_ENCODING_H_
