// Requests -> evaluator input, read in place or parsed: the same rule for both.
#include "server/core/request_conversion.h"

#include <string>

#include <gtest/gtest.h>

#include "certguard/v1/validator.pb.h"
#include "tests/testing/sample_request.h"

namespace certguard::core {
namespace {

using ::certguard::testing::FullRequest;

void ExpectInput(const EvaluationInput& input) {
  ASSERT_EQ(input.headers.size(), 3u);
  EXPECT_EQ(input.headers[0].name, "X-ARR-ClientCert");
  EXPECT_EQ(input.headers[0].value, FullRequest().header_value());
  EXPECT_EQ(input.headers[0].format, headers::Format::kPem);
  EXPECT_EQ(input.headers[1].name, "Client-Cert");
  EXPECT_EQ(input.headers[1].format, headers::Format::kRfc9440);
  EXPECT_EQ(input.headers[2].name, "Client-Cert-Chain");
  EXPECT_EQ(input.headers[2].format, headers::Format::kUnspecified);
  EXPECT_EQ(input.path, "/orders/1");
  EXPECT_EQ(input.is_https, std::optional<bool>(false));
}

TEST(RequestConversionTest, ViewAndParsedRequestGiveTheSameInput) {
  const v1::ValidateCertificateRequest request = FullRequest();
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
}  // namespace certguard::core
