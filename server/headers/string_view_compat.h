// Debian's abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW=0),
// which does not convert implicitly to or from std::string_view. These convert at the seams.
#ifndef CERTGUARD_SERVER_HEADERS_STRING_VIEW_COMPAT_H_
#define CERTGUARD_SERVER_HEADERS_STRING_VIEW_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace certguard::headers {

inline absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

inline std::string_view ToStd(absl::string_view text) {
  return std::string_view(text.data(), text.size());
}

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_STRING_VIEW_COMPAT_H_
