// The per-policy OCSP checker: for a verified leaf and its issuer path, answers good / revoked /
// unknown / error from the response cache or, on a miss, by asking the responder (the only
// network I/O on the request path). Thread-safe; concurrent misses for the same certificate
// may each query the responder (no single-flight).
#ifndef CERTGUARD_SERVER_REVOCATION_OCSP_CHECKER_H_
#define CERTGUARD_SERVER_REVOCATION_OCSP_CHECKER_H_

#include <memory>
#include <span>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/revocation/ocsp_response_cache.h"
#include "server/revocation/ocsp_transport.h"
#include "server/revocation/responder_failures.h"
#include "server/x509/certificate.h"

namespace certguard::revocation {

struct OcspCheckerOptions {
  std::string responder_url;  // overrides the leaf's AIA; "" = use the AIA
  absl::Duration timeout = absl::Milliseconds(2000);
  bool nonce = false;                             // add a request nonce (defeats shared caches)
  size_t max_cache_entries = 10000;               // 0 disables the response cache
  absl::Duration default_ttl = absl::Minutes(5);  // lifetime of a response without nextUpdate
  absl::Duration skew = absl::Minutes(5);         // tolerance on thisUpdate / nextUpdate
  absl::Duration failure_ttl = absl::Seconds(5);  // a responder's failure is reused this long; 0 = never
};

struct OcspOutcome {
  enum class Kind { kGood, kRevoked, kUnknown, kError };
  Kind kind = Kind::kError;
  absl::Time revocation_time = absl::InfinitePast();  // kRevoked
  absl::Time cache_until = absl::InfinitePast();      // good/revoked/unknown: until when the answer holds
  bool from_cache = false;
  std::string url;     // the responder asked (or that answered the cached response)
  std::string detail;  // one line for the "ocsp" check
};

class OcspChecker {
 public:
  // `transport` and `failures` must not be null.
  OcspChecker(OcspCheckerOptions options, std::shared_ptr<const OcspTransport> transport,
              std::shared_ptr<ResponderFailures> failures = DefaultResponderFailures());

  // `issuer_path`: the verified path above the leaf (issuer first). Never throws; every
  // failure (no URL, refused URL, network, malformed/unsigned/stale response) is kError.
  OcspOutcome Check(const x509::Certificate& leaf, std::span<const x509::CertificatePtr> issuer_path,
                    absl::Time now) const;

  const OcspCheckerOptions& options() const { return options_; }
  OcspResponseCache& cache() const { return cache_; }

 private:
  OcspCheckerOptions options_;
  std::shared_ptr<const OcspTransport> transport_;
  std::shared_ptr<ResponderFailures> failures_;
  mutable OcspResponseCache cache_;
};

}  // namespace certguard::revocation

#endif  // CERTGUARD_SERVER_REVOCATION_OCSP_CHECKER_H_
