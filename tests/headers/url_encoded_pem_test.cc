#include "server/headers/url_encoded_pem.h"

#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::AlbEscape;
using testutil::Bad;
using testutil::DecodeCase;
using testutil::FullEscape;
using testutil::Good;
using testutil::PemChain;
using testutil::PemOf;
using testutil::Pki;
using testutil::TrickyDer;

std::vector<DecodeCase> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string& inter = Pki().intermediate.der();
  const std::string& root = Pki().root.der();
  const std::string alb_chain = AlbEscape(PemChain({leaf, inter, root}));
  const std::string tricky_alb = AlbEscape(PemOf(TrickyDer()));
  return {
      Good("AlbLeaf", AlbEscape(PemOf(leaf)), {leaf}),
      Good("AlbPlusStaysPlus", tricky_alb, {TrickyDer()}),
      Good("AlbPassthroughChainLeafFirst", alb_chain, {leaf, inter, root}),
      Good("NginxEscapedUpperHex", FullEscape(PemOf(leaf)), {leaf}),
      Good("NginxEscapedLowerHex", FullEscape(PemOf(leaf), /*lower_hex=*/true), {leaf}),
      Good("NginxEscapedTricky", FullEscape(PemOf(TrickyDer())), {TrickyDer()}),
      Good("EverythingEscaped", absl::StrReplaceAll(FullEscape(PemOf(leaf)), {{"-", "%2D"}}), {leaf}),
      Good("EscapedCrlf", absl::StrReplaceAll(alb_chain, {{"%0A", "%0D%0A"}}), {leaf, inter, root}),
      Good("SurroundingSpaces", "  " + AlbEscape(PemOf(leaf)) + "\t", {leaf}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("PlusDecodedAsSpaceUpstream", absl::StrReplaceAll(tricky_alb, {{"+", " "}}), DecodeError::kMalformed),
      Bad("PlusEscapedAsSpaceUpstream", absl::StrReplaceAll(tricky_alb, {{"+", "%20"}}), DecodeError::kMalformed),
      Bad("UnescapedPem", PemOf(leaf), DecodeError::kMalformed),
      Bad("LonePercentAtEnd", AlbEscape(PemOf(leaf)) + "%", DecodeError::kMalformed),
      Bad("OneHexDigit", AlbEscape(PemOf(leaf)) + "%0", DecodeError::kMalformed),
      Bad("NonHexEscape", absl::StrReplaceAll(AlbEscape(PemOf(leaf)), {{"%20", "%2G"}}), DecodeError::kMalformed),
      Bad("EscapedNul", absl::StrReplaceAll(AlbEscape(PemOf(leaf)), {{"%0AMII", "%0A%00MII"}}),
          DecodeError::kMalformed),
      Bad("RawNul", AlbEscape(PemOf(leaf)) + "\0"s, DecodeError::kMalformed),
      Bad("ChainCutShort", alb_chain.substr(0, alb_chain.size() - 40), DecodeError::kMalformed),
      Bad("TrailingGarbage", alb_chain + "x", DecodeError::kMalformed),
      Bad("NotPemInside", FullEscape("hello world"), DecodeError::kMalformed),
      Bad("TooManyCertificates", alb_chain, DecodeError::kTooManyCertificates, testutil::MaxCertificates(2)),
      Bad("CertificateTooLarge", alb_chain, DecodeError::kCertificateTooLarge,
          testutil::MaxCertificateBytes(root.size() - 1)),
  };
}

class UrlEncodedPemTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(UrlEncodedPemTest, Decodes) { testutil::ExpectDecodes(DecodeUrlEncodedPem, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Table, UrlEncodedPemTest, ::testing::ValuesIn(Cases()), testutil::TestName);

TEST(UrlEncodedPemTrapTest, TrickyValueReallyHasRawPlusSlashAndEquals) {
  ASSERT_EQ(testutil::Base64(TrickyDer()), testutil::kTrickyBase64);
  const std::string value = AlbEscape(PemOf(TrickyDer()));
  EXPECT_NE(value.find('+'), std::string::npos);
  EXPECT_NE(value.find('/'), std::string::npos);
  EXPECT_NE(value.find("=="), std::string::npos);
}

}  // namespace
}  // namespace certguard::headers
