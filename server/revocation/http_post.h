// One HTTP/1.0 POST over plain TCP with two hard bounds, the ones an outbound fetch to a server
// certguard does not control needs (docs/policies.md "Revocation"): a single deadline for the whole
// exchange (connect, send, status line, headers and body; every wait is a poll() against it, so
// a server that drips one byte a second cannot stretch it), and a byte limit on the response,
// checked as bytes arrive (reading stops at the limit; nothing larger is ever buffered).
// HTTP/1.0 with "Connection: close": the body ends at Content-Length or at the end of the
// connection, never chunked. Thread-safe (no shared state).
#ifndef CERTGUARD_SERVER_REVOCATION_HTTP_POST_H_
#define CERTGUARD_SERVER_REVOCATION_HTTP_POST_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace certguard::revocation {

struct HttpPostRequest {
  std::string host;  // name or IP literal (IPv6 without brackets)
  int port = 80;
  std::string path;                                          // starts with '/'
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host, Content-Length, Connection
  std::string body;
};

struct HttpPostResponse {
  int status = 0;
  std::string body;
};

// Errors: DeadlineExceeded (the deadline passed), ResourceExhausted (more than `max_body_bytes`
// of body, or more than 16 KiB of status line and headers), Unavailable (cannot connect, reset,
// malformed response).
absl::StatusOr<HttpPostResponse> HttpPost(const HttpPostRequest& request, absl::Time deadline, size_t max_body_bytes);

}  // namespace certguard::revocation

#endif  // CERTGUARD_SERVER_REVOCATION_HTTP_POST_H_
