// A ValidateCertificateRequest with every field set (a 1.6 KB header value, two repeated
// headers, plain HTTP, a caller beyond ASCII), for the request reader and conversion tests.
#ifndef CERTGUARD_TESTS_TESTING_SAMPLE_REQUEST_H_
#define CERTGUARD_TESTS_TESTING_SAMPLE_REQUEST_H_

#include <string>

#include "certguard/v1/validator.pb.h"

namespace certguard::testing {

inline v1::ValidateCertificateRequest FullRequest() {
  v1::ValidateCertificateRequest r;
  r.set_policy_id("orders-api");
  r.set_header_value(std::string(1600, 'A') + "==");
  r.set_header_name("X-ARR-ClientCert");
  r.set_format(v1::PEM);
  r.set_path("/orders/1");
  r.set_is_https(false);
  auto* leaf = r.add_headers();
  leaf->set_name("Client-Cert");
  leaf->set_value(":MIIB:");
  leaf->set_format(v1::RFC9440);
  auto* chain = r.add_headers();
  chain->set_name("Client-Cert-Chain");
  chain->set_value(":MIIC:, :MIID:");
  r.set_caller("orders-api/7 \xc3\xa9\xe6\x97\xa5");  // UTF-8 beyond ASCII
  return r;
}

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_SAMPLE_REQUEST_H_
