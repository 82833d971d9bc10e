#include "server/headers/der_check.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::FakeDer;
using testutil::Pki;

TEST(DerCheckTest, AcceptsRealCertificates) {
  EXPECT_TRUE(CheckDerSequence(Pki().leaf.der()).ok());
  EXPECT_TRUE(CheckDerSequence(Pki().intermediate.der()).ok());
  EXPECT_TRUE(CheckDerSequence(Pki().root.der()).ok());
}

TEST(DerCheckTest, AcceptsEveryLengthForm) {
  for (size_t total : {2u, 3u, 129u, 131u, 258u, 260u, 4000u, 65539u}) {
    EXPECT_TRUE(CheckDerSequence(FakeDer(total)).ok()) << total;
    EXPECT_EQ(FakeDer(total).size(), total);
  }
}

struct BadCase {
  std::string name;
  std::string der;
};

class DerCheckBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DerCheckBadTest, Rejects) {
  EXPECT_EQ(CheckDerSequence(GetParam().der).code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DerCheckBadTest,
    ::testing::Values(BadCase{"Empty", ""}, BadCase{"TagOnly", "\x30"}, BadCase{"NotASequence", "\x04\x01\x00"s},
                      BadCase{"SetTag", "\x31\x01\x00"s}, BadCase{"Text", "hello world"},
                      BadCase{"ShortLengthTooLong", "\x30\x05\x00\x00"s},
                      BadCase{"ShortLengthTooShort", "\x30\x01\x00\x00"s}, BadCase{"Indefinite", "\x30\x80\x00\x00"s},
                      BadCase{"LongFormBelow128", "\x30\x81\x01\x00"s},
                      BadCase{"LongFormLeadingZero", "\x30\x82\x00\x81"s + std::string(0x81, 'a')},
                      BadCase{"FiveLengthBytes", "\x30\x85\x00\x00\x00\x00\x01\x00"s},
                      BadCase{"TruncatedLengthBytes", "\x30\x82\x01"s},
                      BadCase{"HugeLength", "\x30\x84\xff\xff\xff\xff\x00"s},
                      BadCase{"TrailingByte", FakeDer(300) + "x"}, BadCase{"TwoSequences", FakeDer(10) + FakeDer(10)},
                      BadCase{"CutShort", FakeDer(300).substr(0, 299)}),
    [](const auto& info) { return info.param.name; });

TEST(DerCheckTest, RejectsRealCertificateWithTrailingOrMissingByte) {
  const std::string& der = Pki().leaf.der();
  EXPECT_FALSE(CheckDerSequence(der + '\0').ok());
  EXPECT_FALSE(CheckDerSequence(der.substr(0, der.size() - 1)).ok());
}

}  // namespace
}  // namespace certguard::headers
