#include "server/headers/pem_blocks.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::Bad;
using testutil::DecodeCase;
using testutil::Good;
using testutil::PemChain;
using testutil::PemOf;
using testutil::Pki;

std::vector<DecodeCase> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string& inter = Pki().intermediate.der();
  const std::string& root = Pki().root.der();
  const std::string chain = PemChain({leaf, inter, root});
  const std::string corrupt_block = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
  return {
      Good("FactoryPem", Pki().leaf.pem(), {leaf}),
      Good("OneBlock", PemOf(leaf), {leaf}),
      Good("ChainKeepsEveryBlockInOrder", chain, {leaf, inter, root}),
      Good("ChainCrlf", absl::StrReplaceAll(chain, {{"\n", "\r\n"}}), {leaf, inter, root}),
      Good("NoFinalNewline", chain.substr(0, chain.size() - 1), {leaf, inter, root}),
      Good("NewlinesTurnedIntoSpaces", absl::StrReplaceAll(chain, {{"\n", " "}}), {leaf, inter, root}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("CutAfterFirstBlockBegin", PemOf(leaf) + "-----BEGIN CERTIFICATE-----\nMIIB", DecodeError::kMalformed),
      Bad("TrailingGarbage", chain + "garbage", DecodeError::kMalformed),
      Bad("LeadingText", "subject=CN=x\n" + chain, DecodeError::kMalformed),
      Bad("PrivateKeyBlock", PemOf(leaf) + "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
          DecodeError::kMalformed),
      Bad("CorruptBase64InSecondBlock", PemOf(leaf) + corrupt_block, DecodeError::kMalformed),
      Bad("NonDerBlock", PemOf("not a certificate"), DecodeError::kMalformed),
      Bad("NulInBody", absl::StrReplaceAll(PemOf(leaf), {{"\nMII", "\n\0MII"s}}), DecodeError::kMalformed),
      Bad("TooManyBlocks", chain, DecodeError::kTooManyCertificates, testutil::MaxCertificates(2)),
      // The third block is corrupt, but decoding stops at the limit before reaching it.
      Bad("TooManyStopsBeforeDecoding", PemChain({leaf, inter}) + corrupt_block, DecodeError::kTooManyCertificates,
          testutil::MaxCertificates(2)),
      Bad("OneBlockTooLarge", chain, DecodeError::kCertificateTooLarge,
          testutil::MaxCertificateBytes(std::max(leaf.size(), inter.size()) - 1)),
  };
}

class PemBlocksTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(PemBlocksTest, Decodes) { testutil::ExpectDecodes(DecodePemBlocks, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Table, PemBlocksTest, ::testing::ValuesIn(Cases()), testutil::TestName);

TEST(PemBlocksLimitTest, ExactCountLimitPasses) {
  CertCollector collector(testutil::MaxCertificates(3));
  ASSERT_TRUE(
      DecodePemBlocks(PemChain({Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()}), &collector).ok());
  EXPECT_EQ(collector.size(), 3u);
}

}  // namespace
}  // namespace certguard::headers
