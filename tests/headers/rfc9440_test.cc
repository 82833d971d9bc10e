#include "server/headers/rfc9440.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::Bad;
using testutil::Base64;
using testutil::DecodeCase;
using testutil::Good;
using testutil::Pki;
using testutil::SfBinary;
using testutil::TrickyDer;

std::string Unpadded(const std::string& der) {
  std::string b64 = Base64(der);
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return absl::StrCat(":", b64, ":");
}

std::vector<DecodeCase> LeafCases() {
  const std::string& leaf = Pki().leaf.der();
  return {
      Good("ClientCert", SfBinary(leaf), {leaf}),
      Good("WithParameters", SfBinary(leaf) + ";v=1;x=\"y\"", {leaf}),
      Good("SurroundingSpaces", "  " + SfBinary(leaf) + " ", {leaf}),
      Good("Tricky", SfBinary(TrickyDer()), {TrickyDer()}),
      Good("UnpaddedIsAcceptedPerRfc8941", Unpadded(TrickyDer()), {TrickyDer()}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("EmptyByteSequence", "::", DecodeError::kMalformed),
      Bad("PlainBase64", Base64(leaf), DecodeError::kMalformed),
      Bad("PemInColons", ":" + Pki().leaf.pem() + ":", DecodeError::kMalformed),
      Bad("TwoItems", SfBinary(leaf) + ", " + SfBinary(leaf), DecodeError::kMalformed),
      Bad("GarbageParameters", SfBinary(leaf) + ";Bad", DecodeError::kMalformed),
      Bad("GarbageAfter", SfBinary(leaf) + " x", DecodeError::kMalformed),
      Bad("NotDer", SfBinary("not a certificate"), DecodeError::kMalformed),
      Bad("NulInside", ":" + Base64(leaf).substr(0, 8) + "\0"s + Base64(leaf).substr(8) + ":", DecodeError::kMalformed),
      Bad("TooLarge", SfBinary(leaf), DecodeError::kCertificateTooLarge,
          testutil::MaxCertificateBytes(leaf.size() - 1)),
  };
}

std::vector<DecodeCase> ChainCases() {
  const std::string& inter = Pki().intermediate.der();
  const std::string& root = Pki().root.der();
  const std::string chain = absl::StrCat(SfBinary(inter), ", ", SfBinary(root));
  return {
      Good("Chain", chain, {inter, root}),
      Good("NoSpaces", absl::StrCat(SfBinary(inter), ",", SfBinary(root)), {inter, root}),
      Good("EmptyList", "", {}),
      Good("WithParameters", absl::StrCat(SfBinary(inter), ";a=1, ", SfBinary(root), ";b"), {inter, root}),
      Bad("TrailingComma", chain + ",", DecodeError::kMalformed),
      Bad("InnerList", "(" + chain + ")", DecodeError::kMalformed),
      Bad("TraefikStyle", absl::StrCat(Base64(inter), ",", Base64(root)), DecodeError::kMalformed),
      Bad("NotDerMember", chain + ", " + SfBinary("junk"), DecodeError::kMalformed),
      Bad("TooMany", chain, DecodeError::kTooManyCertificates, testutil::MaxCertificates(1)),
      // The third member is not a certificate, but decoding stops at the limit before it.
      Bad("TooManyStopsBeforeDecoding", chain + ", :QUFB:", DecodeError::kTooManyCertificates,
          testutil::MaxCertificates(2)),
      Bad("SyntaxIsCheckedBeforeTheCount", chain + ", :!!:", DecodeError::kMalformed, testutil::MaxCertificates(2)),
  };
}

class ClientCertTest : public ::testing::TestWithParam<DecodeCase> {};
TEST_P(ClientCertTest, Decodes) { testutil::ExpectDecodes(DecodeClientCert, GetParam()); }
INSTANTIATE_TEST_SUITE_P(Table, ClientCertTest, ::testing::ValuesIn(LeafCases()), testutil::TestName);

class ClientCertChainTest : public ::testing::TestWithParam<DecodeCase> {};
TEST_P(ClientCertChainTest, Decodes) { testutil::ExpectDecodes(DecodeClientCertChain, GetParam()); }
INSTANTIATE_TEST_SUITE_P(Table, ClientCertChainTest, ::testing::ValuesIn(ChainCases()), testutil::TestName);

TEST(Rfc9440Test, ChainAppendsAfterLeafAndSharesTheCountLimit) {
  CertCollector collector(testutil::MaxCertificates(3));
  ASSERT_TRUE(DecodeClientCert(SfBinary(Pki().leaf.der()), &collector).ok());
  const std::string chain = absl::StrCat(SfBinary(Pki().intermediate.der()), ", ", SfBinary(Pki().root.der()));
  ASSERT_TRUE(DecodeClientCertChain(chain, &collector).ok());
  EXPECT_EQ(collector.certificates(),
            (std::vector<std::string>{Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()}));
  EXPECT_EQ(testutil::ErrorOf(DecodeClientCertChain(SfBinary(Pki().root.der()), &collector)),
            DecodeError::kTooManyCertificates);
}

}  // namespace
}  // namespace certguard::headers
