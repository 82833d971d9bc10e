// Contract checks shared by the fuzz targets: each aborts (a fuzzer finding) when a result
// breaks the documented contract of the code under test.
#ifndef CERTGUARD_FUZZ_FUZZ_CONTRACT_H_
#define CERTGUARD_FUZZ_FUZZ_CONTRACT_H_

#include <cstdio>
#include <cstdlib>

#include "server/headers/decoder.h"
#include "server/headers/der_check.h"

namespace certguard::fuzz {

// Aborts with `what` on stderr when `condition` is false.
inline void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz contract violated: %s\n", what);
  std::abort();
}

// DecodeHeaders' contract: errors carry no certificates and a short printable message;
// successes carry 1..max_certificates well-formed DER SEQUENCEs within the size limit.
inline void CheckDecodeResult(const headers::DecodeResult& result, const headers::DecodeOptions& options) {
  if (result.error != headers::DecodeError::kNone) {
    Check(!result.absent, "error and absent");
    Check(result.chain.der.empty(), "error with certificates");
    Check(!result.message.empty() && result.message.size() <= 256, "error message empty or unbounded");
    for (char ch : result.message) {
      const auto byte = static_cast<unsigned char>(ch);
      Check(byte >= 0x20 && byte < 0x7f, "error message not printable ASCII");
    }
  } else if (!result.absent) {
    Check(!result.chain.der.empty(), "success without certificates");
    Check(result.chain.der.size() <= options.limits.max_certificates, "over max_certificates");
    for (const auto& der : result.chain.der) {
      Check(der.size() <= options.limits.max_certificate_bytes, "over max_certificate_bytes");
      Check(headers::CheckDerSequence(der).ok(), "decoded bytes are not a DER SEQUENCE");
    }
  }
}

}  // namespace certguard::fuzz

#endif  // CERTGUARD_FUZZ_FUZZ_CONTRACT_H_
