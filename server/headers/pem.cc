#include "server/headers/pem.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/headers/http_text.h"

namespace certguard::headers {
namespace {

// Any encapsulation boundary starts with five dashes; a body never contains one.
constexpr absl::string_view kDashes = "-----";

}  // namespace

absl::Status ForEachPemCertificate(absl::string_view text,
                                   absl::FunctionRef<absl::Status(absl::string_view body)> visit) {
  size_t pos = 0;
  size_t blocks = 0;
  while (true) {
    while (pos < text.size() && IsLineWhitespace(text[pos])) ++pos;
    if (pos == text.size()) break;
    const absl::string_view rest = text.substr(pos);
    if (!absl::StartsWith(rest, kPemBeginCertificate)) {
      if (absl::StartsWith(rest, kPemBegin)) {
        return absl::InvalidArgumentError(absl::StrCat("PEM block ", blocks + 1, " is not a CERTIFICATE block"));
      }
      return absl::InvalidArgumentError(absl::StrCat("unexpected data outside PEM blocks at offset ", pos));
    }
    const size_t body_start = pos + kPemBeginCertificate.size();
    const size_t boundary = text.find(kDashes, body_start);
    if (boundary == absl::string_view::npos || !absl::StartsWith(text.substr(boundary), kPemEndCertificate)) {
      return absl::InvalidArgumentError(absl::StrCat("PEM block ", blocks + 1, " has no END CERTIFICATE line"));
    }
    ++blocks;
    absl::Status status = visit(text.substr(body_start, boundary - body_start));
    if (!status.ok()) return status;
    pos = boundary + kPemEndCertificate.size();
  }
  if (blocks == 0) return absl::InvalidArgumentError("no PEM CERTIFICATE block");
  return absl::OkStatus();
}

}  // namespace certguard::headers
