// ReplaceInvalidUtf8: every string field of a response, nested and repeated, becomes valid UTF-8.
#include "server/core/response_utf8.h"

#include <gtest/gtest.h>

#include "certguard/v1/validator.pb.h"

namespace certguard::core {
namespace {

TEST(ResponseUtf8Test, RepairsEveryStringFieldAndKeepsValidOnes) {
  v1::ValidateCertificateResponse r;
  r.set_message("bad \xff message");
  r.set_policy_id("p\xc3");
  r.set_revision("0123abcd");
  v1::Check* check = r.add_checks();
  check->set_name("san");
  check->set_detail("uri spiffe://td/\xc0\xae");
  r.mutable_identity()->set_subject("CN=caf\xc3\xa9");
  r.mutable_identity()->mutable_sans()->add_uri("spiffe://td/\xfe");
  r.mutable_identity()->mutable_sans()->add_dns("ok.example");
  r.mutable_identity()->add_certificate_policies("1.2.3");
  std::string wire;
  ASSERT_TRUE(r.SerializeToString(&wire));
  v1::ValidateCertificateResponse parsed;
  EXPECT_FALSE(parsed.ParseFromString(wire));  // the generated parser refuses invalid UTF-8

  ReplaceInvalidUtf8(&r);
  EXPECT_EQ(r.message(), "bad \xEF\xBF\xBD message");
  EXPECT_EQ(r.policy_id(), "p\xEF\xBF\xBD");
  EXPECT_EQ(r.revision(), "0123abcd");
  EXPECT_EQ(r.checks(0).name(), "san");
  EXPECT_EQ(r.checks(0).detail(), "uri spiffe://td/\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(r.identity().subject(), "CN=caf\xc3\xa9");
  EXPECT_EQ(r.identity().sans().uri(0), "spiffe://td/\xEF\xBF\xBD");
  EXPECT_EQ(r.identity().sans().dns(0), "ok.example");
  ASSERT_TRUE(r.SerializeToString(&wire));
  EXPECT_TRUE(parsed.ParseFromString(wire));
}

}  // namespace
}  // namespace certguard::core
