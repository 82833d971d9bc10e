// Safe quoting of hostile input inside error messages.
#ifndef CERTGUARD_SERVER_HEADERS_EXCERPT_H_
#define CERTGUARD_SERVER_HEADERS_EXCERPT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace certguard::headers {

// The most input bytes an error message may echo.
inline constexpr size_t kMaxExcerptBytes = 32;

// At most kMaxExcerptBytes of `input`, in double quotes, with every byte outside printable ASCII
// (and '"', '\') written as \xHH, followed by "..." when `input` was longer.
std::string Excerpt(absl::string_view input);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_EXCERPT_H_
