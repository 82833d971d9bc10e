// UTF-8 for text that leaves certguard (responses, logs, messages). Every such string comes,
// somewhere, from untrusted certificate or request bytes: an IA5String URI SAN may hold any
// byte, and a cut at a byte count may split a character.
#ifndef CERTGUARD_SERVER_COMMON_UTF8_H_
#define CERTGUARD_SERVER_COMMON_UTF8_H_

#include <string>

#include "absl/strings/string_view.h"

namespace certguard::common {

// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above
// U+10FFFF.
bool IsValidUtf8(absl::string_view s);

// `s` with every byte that does not belong to a well-formed sequence replaced by U+FFFD
// (the replacement character, EF BF BD). Valid input is returned unchanged.
std::string ToValidUtf8(absl::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence (a cut for messages; it does not validate what comes before).
absl::string_view Utf8Prefix(absl::string_view s, size_t max_bytes);

}  // namespace certguard::common

#endif  // CERTGUARD_SERVER_COMMON_UTF8_H_
