// Requests -> evaluator input, read in place or parsed: the same rule for both.
#include "server/service/request_conversion.h"

#include <gtest/gtest.h>

#include <string>

#include "certguard/v1/validator.pb.h"

namespace certguard::service {
namespace {

v1::ValidateCertificateRequest Request() {
  v1::ValidateCertificateRequest r;
  r.set_policy_id("orders-api");
  r.set_header_value("MIIB");
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
  chain->set_value(":MIIC:");
  return r;
}

void ExpectInput(const EvaluationInput& input) {
  ASSERT_EQ(input.headers.size(), 3u);
  EXPECT_EQ(input.headers[0].name, "X-ARR-ClientCert");
  EXPECT_EQ(input.headers[0].value, "MIIB");
  EXPECT_EQ(input.headers[0].format, headers::Format::kPem);
  EXPECT_EQ(input.headers[1].name, "Client-Cert");
  EXPECT_EQ(input.headers[1].format, headers::Format::kRfc9440);
  EXPECT_EQ(input.headers[2].name, "Client-Cert-Chain");
  EXPECT_EQ(input.headers[2].format, headers::Format::kUnspecified);
  EXPECT_EQ(input.path, "/orders/1");
  EXPECT_EQ(input.is_https, std::optional<bool>(false));
}

TEST(RequestConversionTest, ViewAndParsedRequestGiveTheSameInput) {
  const v1::ValidateCertificateRequest request = Request();
  ExpectInput(ToEvaluationInput(request));
  const std::string wire = request.SerializeAsString();
  RequestView view;
  ASSERT_TRUE(ParseRequestView(wire, &view));
  ExpectInput(ToEvaluationInput(view));
}

TEST(RequestConversionTest, OnlyRepeatedHeadersAndAnUnstatedScheme) {
  v1::ValidateCertificateRequest request;
  auto* h = request.add_headers();
  h->set_name("Client-Cert");
  h->set_value(":AA:");
  const std::string wire = request.SerializeAsString();
  RequestView view;
  ASSERT_TRUE(ParseRequestView(wire, &view));
  for (const EvaluationInput& input : {ToEvaluationInput(request), ToEvaluationInput(view)}) {
    ASSERT_EQ(input.headers.size(), 1u);  // no empty top-level header
    EXPECT_EQ(input.headers[0].name, "Client-Cert");
    EXPECT_FALSE(input.is_https.has_value());
  }
}

}  // namespace
}  // namespace certguard::service
