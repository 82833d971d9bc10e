// The part of RFC 8941 (Structured Field Values for HTTP) that RFC 9440 needs: Items and Lists
// whose members are Byte Sequences. Parameters are parsed exactly (any bare item) and ignored,
// as RFC 8941 asks for unknown parameters; every other member type is rejected.
#ifndef CERTGUARD_SERVER_HEADERS_STRUCTURED_FIELD_H_
#define CERTGUARD_SERVER_HEADERS_STRUCTURED_FIELD_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certguard::headers {

// Receives the base64 text between the colons of one sf-binary (validated to hold only base64
// alphabet characters and '='; not yet decoded). A non-OK status aborts parsing.
using SfBinaryVisitor = absl::FunctionRef<absl::Status(absl::string_view base64)>;

// Parses `field` as an sf-item (RFC 8941 section 4.2, top-level "item") whose bare item is a
// Byte Sequence, and visits it after its parameters parsed. InvalidArgument for any syntax error.
absl::Status ParseSfBinaryItem(absl::string_view field, SfBinaryVisitor visit);

// Parses `field` as an sf-list (section 4.2.1) whose members are Byte Sequence items, visiting
// them in order. An empty field is an empty list. Inner lists and other item types, trailing
// commas and bad whitespace are InvalidArgument.
absl::Status ParseSfBinaryList(absl::string_view field, SfBinaryVisitor visit);

}  // namespace certguard::headers

#endif  // CERTGUARD_SERVER_HEADERS_STRUCTURED_FIELD_H_
