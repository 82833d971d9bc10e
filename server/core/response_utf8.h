// Makes every `string` field of a response message valid UTF-8, so that strict protobuf
// parsers (gRPC clients, Envoy) can read every answer: a response they cannot parse is a
// failure that Envoy's failure_mode_allow would turn into an ALLOW.
#ifndef CERTGUARD_SERVER_CORE_RESPONSE_UTF8_H_
#define CERTGUARD_SERVER_CORE_RESPONSE_UTF8_H_

#include <google/protobuf/message.h>

namespace certguard::core {

// Replaces each byte of a string field (recursively, repeated and map fields included) that is
// not part of well-formed UTF-8 with U+FFFD (common::ToValidUtf8). `bytes` fields are left as
// they are. Only fields that are invalid are rewritten.
void ReplaceInvalidUtf8(google::protobuf::Message* message);

}  // namespace certguard::core

#endif  // CERTGUARD_SERVER_CORE_RESPONSE_UTF8_H_
