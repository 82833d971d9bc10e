// Percent-encoding of every byte outside RFC 3986's unreserved set (ALPHA / DIGIT / "-" / "." /
// "_" / "~"): how a client or a test writes a URL-encoded PEM header value that no decoder may
// misread (a '+' stays "%2B", never a space). Header-only; used by the load generator, the
// benchmark corpora and the tests.
#ifndef CERTGUARD_CLIENT_COMMON_PERCENT_ENCODE_H_
#define CERTGUARD_CLIENT_COMMON_PERCENT_ENCODE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace certguard::client {

inline std::string PercentEncodeAll(absl::string_view in, bool lower_hex = false) {
  const char* const hex = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() * 3 / 2);
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0x0f]);
    }
  }
  return out;
}

}  // namespace certguard::client

#endif  // CERTGUARD_CLIENT_COMMON_PERCENT_ENCODE_H_
