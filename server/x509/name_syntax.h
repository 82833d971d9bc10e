// The syntax of the names a certificate carries in subjectAltName, as RFC 5280 4.2.1.6 requires
// them (used by the strict profile and by every identity matcher: a name that does not parse
// matches nothing).
#ifndef CERTGUARD_SERVER_X509_NAME_SYNTAX_H_
#define CERTGUARD_SERVER_X509_NAME_SYNTAX_H_

#include "absl/strings/string_view.h"

namespace certguard::x509 {

// RFC 1034 preferred name syntax: letters, digits and hyphens; labels of 1..63 octets without a
// leading or trailing hyphen; at most 253 octets. IDNA names appear as A-labels ("xn--…").
bool IsHostname(absl::string_view name);

// A dNSName SAN: a hostname, optionally with "*" as its whole left-most label.
bool IsDnsSan(absl::string_view name);

// An rfc822Name SAN: exactly one "@", a non-empty local part of printable ASCII without spaces,
// and a hostname.
bool IsMailbox(absl::string_view name);

}  // namespace certguard::x509

#endif  // CERTGUARD_SERVER_X509_NAME_SYNTAX_H_
