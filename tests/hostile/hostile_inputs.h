// Builders for hostile certificate bytes that the test PKI cannot make directly: certificates
// carrying an RSA public key of any size (no private key is generated, so a 16384- or
// 32768-bit key costs nothing), and raw DER constructions.
#ifndef CERTGUARD_TESTS_HOSTILE_HOSTILE_INPUTS_H_
#define CERTGUARD_TESTS_HOSTILE_HOSTILE_INPUTS_H_

#include <cstddef>
#include <string>

#include "tests/testing/cert_factory.h"

namespace certguard::hostile {

// DER of a clientAuth leaf "CN=app.contoso.com" valid 1970-9999 whose subject public key is an
// RSA key with a random odd `bits`-bit modulus, signed by `issuer` (a real signature). With
// `exponent_bits` the public exponent is a random odd number of that many bits (else 65537).
std::string CertWithRsaModulusBits(int bits, const testing::TestCert& issuer, int exponent_bits = 0);

// DER tag-length-value with a definite length.
std::string Tlv(unsigned char tag, const std::string& content);
// `depth` nested SEQUENCEs around `inner`.
std::string NestedSequences(size_t depth, const std::string& inner);

// Standard base64 (with padding) of `bytes`.
std::string Base64(const std::string& bytes);
// PEM CERTIFICATE block of `der`.
std::string Pem(const std::string& der);
// Percent-encodes every byte that is not unreserved (as nginx's $ssl_client_escaped_cert).
std::string PercentEncode(const std::string& text);

}  // namespace certguard::hostile

#endif  // CERTGUARD_TESTS_HOSTILE_HOSTILE_INPUTS_H_
