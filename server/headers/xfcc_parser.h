// The X-Forwarded-Client-Cert grammar, without key semantics (those are xfcc.h's).
#ifndef CERTGUARD_SERVER_HEADERS_XFCC_PARSER_H_
#define CERTGUARD_SERVER_HEADERS_XFCC_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

struct XfccPair {
  std::string key;    // lower-cased (keys are case-insensitive)
  std::string value;  // unquoted and unescaped; may be empty
};

// The pairs of one XFCC element (one proxy's contribution), in order.
using XfccPairs = std::vector<XfccPair>;

// Parses `value` in one pass, without recursion:
//
//   xfcc     = OWS element *( OWS "," OWS element ) OWS
//   element  = pair *( OWS ";" OWS pair )
//   pair     = key "=" ( quoted / unquoted )
//   key      = 1*tchar
//   quoted   = DQUOTE *( qdtext / "\" octet ) DQUOTE
//   unquoted = *( any byte but CTL, SP, HTAB, DQUOTE, "," and ";" )
//   OWS      = *( SP / HTAB / obs-fold )     obs-fold = [CR] LF ( SP / HTAB )
//
// Inside a quoted value ',' ';' '=' are data and never start a pair or an element. "\"" and
// "\\" unescape to '"' and '\'; any other backslash is kept with the byte after it, so RFC 2253
// escapes in Envoy's Subject ("CN=a\,b") survive. CTLs other than HTAB are never accepted.
// InvalidArgument (with an offset, never input bytes) for: an empty value, empty pairs or
// elements (";;", ",,", trailing separators), a key without '=', an unterminated quote, a '"'
// inside an unquoted value, anything but a separator after a value, control bytes.
absl::StatusOr<std::vector<XfccPairs>> ParseXfcc(absl::string_view value);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_XFCC_PARSER_H_
