#include "server/headers/base64_der.h"

#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::Bad;
using testutil::Base64;
using testutil::DecodeCase;
using testutil::FakeDer;
using testutil::Good;
using testutil::Pki;

// 30 03 fb ff bf: its base64 "MAP7/78=" has a '/' and padding.
const std::string kSlashDer = "\x30\x03\xfb\xff\xbf"s;

std::vector<DecodeCase> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string b64 = Base64(leaf);
  const std::string half = b64.substr(0, b64.size() / 2);
  const std::string rest = b64.substr(b64.size() / 2);
  return {
      Good("AzureLeaf", b64, {leaf}),
      Good("Intermediate", Base64(Pki().intermediate.der()), {Pki().intermediate.der()}),
      Good("SurroundingSpaceAndTab", " \t" + b64 + "\t ", {leaf}),
      Good("SlashAndPadding", "MAP7/78=", {kSlashDer}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("Blank", "  \t", DecodeError::kMalformed),
      Bad("UrlSafeAlphabet", "MAP7_78=", DecodeError::kMalformed),
      Bad("MissingPadding", "MAP7/78", DecodeError::kMalformed),
      Bad("SpaceInside", half + " " + rest, DecodeError::kMalformed),
      Bad("LineBreakInside", half + "\n" + rest, DecodeError::kMalformed),
      Bad("NulInside", half + "\0"s + rest, DecodeError::kMalformed),
      Bad("TrailingJunk", b64 + "!", DecodeError::kMalformed),
      Bad("TrailingNul", b64 + "\0"s, DecodeError::kMalformed),
      Bad("TrailingNonAscii", b64 + "\xc3\xa9", DecodeError::kMalformed),
      Bad("TwoCertificatesConcatenated", b64 + Base64(Pki().root.der()), DecodeError::kMalformed),
      Bad("FullPem", testutil::PemOf(leaf), DecodeError::kMalformed),
      Bad("NotDer", Base64("hello, world"), DecodeError::kMalformed),
      Bad("CutShort", Base64(leaf.substr(0, leaf.size() - 1)), DecodeError::kMalformed),
      Bad("PercentEscaped", absl::StrReplaceAll(b64, {{"=", "%3D"}, {"+", "%2B"}}) + "%3D", DecodeError::kMalformed),
      Bad("OverSizeLimit", b64, DecodeError::kCertificateTooLarge, testutil::MaxCertificateBytes(leaf.size() - 1)),
      Bad("LargeFakeOverDefaultLimit", Base64(FakeDer(16 * 1024 + 1)), DecodeError::kCertificateTooLarge),
  };
}

class Base64DerTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(Base64DerTest, Decodes) { testutil::ExpectDecodes(DecodeBase64Der, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Table, Base64DerTest, ::testing::ValuesIn(Cases()), testutil::TestName);

TEST(Base64DerLimitTest, ExactSizeLimitPasses) {
  const std::string& leaf = Pki().leaf.der();
  CertCollector collector(testutil::MaxCertificateBytes(leaf.size()));
  ASSERT_TRUE(DecodeBase64Der(Base64(leaf), &collector).ok());
  EXPECT_EQ(collector.certificates(), std::vector<std::string>{leaf});
}

}  // namespace
}  // namespace certguard::headers
