// revocation/: online revocation checking (OCSP) for the request path: the HTTP transport, a
// bounded response cache and the per-policy checker the evaluator calls after the chain verified.
//
// OcspTransport is the network seam: it posts one DER request and returns the DER response.
#ifndef CERTGUARD_SERVER_REVOCATION_OCSP_TRANSPORT_H_
#define CERTGUARD_SERVER_REVOCATION_OCSP_TRANSPORT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace certguard::revocation {

// The parts of an http:// URL the transport needs.
struct HttpUrl {
  std::string host;  // without brackets for IPv6 literals
  int port = 80;
  std::string path;  // "/" when the URL has none
};

// Parses `url`. Only "http://" (any case) is accepted: OCSP responses are signed, RFC 6960
// responders serve plain HTTP, and a TLS responder would need a trust decision of its own.
// Anything else -> InvalidArgument.
absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url);

// Seam for the network (tests may substitute a fake). Implementations are thread-safe.
class OcspTransport {
 public:
  virtual ~OcspTransport() = default;
  // POSTs `request_der` to `url` and returns the response body. Errors: InvalidArgument (URL),
  // Unavailable (connect/read failure, timeout, non-200 status), ResourceExhausted (body too large).
  virtual absl::StatusOr<std::string> Post(absl::string_view url, const std::string& request_der,
                                           absl::Duration timeout) const = 0;
};

// HttpPost (http_post.h): one connection per call, `timeout` for the whole exchange (connect,
// send, read), Content-Type application/ocsp-request, reading stops at
// x509::kMaxOcspResponseBytes of body.
class HttpOcspTransport final : public OcspTransport {
 public:
  absl::StatusOr<std::string> Post(absl::string_view url, const std::string& request_der,
                                   absl::Duration timeout) const override;
};

// A process-wide HttpOcspTransport.
std::shared_ptr<const OcspTransport> DefaultOcspTransport();

}  // namespace certguard::revocation

#endif  // CERTGUARD_SERVER_REVOCATION_OCSP_TRANSPORT_H_
