#include "server/headers/xfcc.h"

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::ErrorOf;
using testutil::FullEscape;
using testutil::PemChain;
using testutil::PemOf;
using testutil::Pki;
using testutil::Sha256HexLower;

// Envoy's Cert value: the URL-encoded PEM of the leaf, quoted.
std::string CertValue(const testing::TestCert& cert) { return absl::StrCat("\"", FullEscape(cert.pem()), "\""); }

std::string ChainValue() {
  return absl::StrCat("\"", FullEscape(PemChain({Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()})), "\"");
}

std::string EnvoyElement(const testing::TestCert& cert) {
  return absl::StrCat("By=spiffe://cluster.local/ns/default/sa/server;Hash=", Sha256HexLower(cert),
                      ";Cert=", CertValue(cert),
                      ";Subject=\"CN=client.example.com,O=certguard tests\";"
                      "URI=spiffe://example.com/ns/default/sa/client;DNS=client.example.com");
}

struct Outcome {
  DecodeError error;
  std::vector<std::string> der;
  XfccMetadata metadata;
};

Outcome Decode(const std::string& value, XfccElement which = XfccElement::kLast, DecodeLimits limits = {}) {
  CertCollector collector(limits);
  absl::StatusOr<XfccMetadata> metadata = DecodeXfcc(value, which, &collector);
  Outcome out{ErrorOf(metadata.status()), collector.Release(), {}};
  if (metadata.ok()) out.metadata = *metadata;
  return out;
}

TEST(XfccTest, EnvoyElementWithEveryField) {
  const Outcome out = Decode(EnvoyElement(Pki().leaf));
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.der, std::vector<std::string>{Pki().leaf.der()});
  EXPECT_EQ(out.metadata.by, "spiffe://cluster.local/ns/default/sa/server");
  EXPECT_EQ(out.metadata.hash_hex, Sha256HexLower(Pki().leaf));
  EXPECT_EQ(out.metadata.subject, "CN=client.example.com,O=certguard tests");
  EXPECT_EQ(out.metadata.uri, std::vector<std::string>{"spiffe://example.com/ns/default/sa/client"});
  EXPECT_EQ(out.metadata.dns, std::vector<std::string>{"client.example.com"});
}

TEST(XfccTest, UnquotedCertAndAlbStyleEscaping) {
  const std::string value = absl::StrCat("Cert=", testutil::AlbEscape(PemOf(testutil::TrickyDer())));
  const Outcome out = Decode(value);
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.der, std::vector<std::string>{testutil::TrickyDer()});
}

TEST(XfccTest, MixedCaseKeysAndUpperCaseHash) {
  std::string hash = Pki().leaf.sha256_hex();  // upper case
  const std::string value = absl::StrCat("hASH=", hash, ";cErT=", CertValue(Pki().leaf), ";dns=a;DNS=b;Uri=u");
  const Outcome out = Decode(value);
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.metadata.hash_hex, Sha256HexLower(Pki().leaf));
  EXPECT_EQ(out.metadata.dns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(out.metadata.uri, std::vector<std::string>{"u"});
}

TEST(XfccTest, HashMismatch) {
  const std::string value = absl::StrCat("Hash=", Sha256HexLower(Pki().root), ";Cert=", CertValue(Pki().leaf));
  EXPECT_EQ(Decode(value).error, DecodeError::kHashMismatch);
}

TEST(XfccTest, HashMismatchOneNibble) {
  std::string hash = Sha256HexLower(Pki().leaf);
  hash.back() = hash.back() == '0' ? '1' : '0';
  EXPECT_EQ(Decode(absl::StrCat("Hash=", hash, ";Cert=", CertValue(Pki().leaf))).error, DecodeError::kHashMismatch);
}

TEST(XfccTest, HashIsCheckedAgainstChainLeafWhenThereIsNoCert) {
  EXPECT_EQ(Decode(absl::StrCat("Hash=", Sha256HexLower(Pki().leaf), ";Chain=", ChainValue())).error,
            DecodeError::kNone);
  EXPECT_EQ(Decode(absl::StrCat("Hash=", Sha256HexLower(Pki().intermediate), ";Chain=", ChainValue())).error,
            DecodeError::kHashMismatch);
}

TEST(XfccTest, SubjectWithSeparatorsAndQuotes) {
  const std::string value = absl::StrCat("Subject=\"CN=a\\\"b;c,d=e,O=x\\\\y\";Cert=", CertValue(Pki().leaf), ";URI=u");
  const Outcome out = Decode(value);
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.metadata.subject, "CN=a\"b;c,d=e,O=x\\y");
  EXPECT_EQ(out.der, std::vector<std::string>{Pki().leaf.der()});
}

TEST(XfccTest, CertSmuggledInsideQuotedSubjectIsNotACert) {
  // A client controls its Subject; a second Cert= inside the quoted value must stay data.
  const std::string evil = FullEscape(testutil::OtherCert().pem());
  const std::string value = absl::StrCat("Subject=\"CN=x\\\";Cert=", evil, ";a=\\\"\";Cert=", CertValue(Pki().leaf));
  const Outcome out = Decode(value);
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.der, std::vector<std::string>{Pki().leaf.der()});
  EXPECT_EQ(out.metadata.subject, absl::StrCat("CN=x\";Cert=", evil, ";a=\""));
}

TEST(XfccTest, ElementSmuggledInsideQuotedSubjectIsNotAnElement) {
  const std::string evil = FullEscape(testutil::OtherCert().pem());
  const std::string value = absl::StrCat("Cert=", CertValue(Pki().leaf), ";Subject=\"a,Cert=", evil, "\"");
  const Outcome last = Decode(value, XfccElement::kLast);
  ASSERT_EQ(last.error, DecodeError::kNone);
  EXPECT_EQ(last.der, std::vector<std::string>{Pki().leaf.der()});
}

TEST(XfccTest, UnbalancedQuoteIsMalformedNotReinterpreted) {
  const std::string value = absl::StrCat("Subject=\"CN=x;Cert=", CertValue(testutil::OtherCert()));
  EXPECT_EQ(Decode(value).error, DecodeError::kMalformed);
}

TEST(XfccTest, FirstAndLastElement) {
  const std::string value = absl::StrCat(EnvoyElement(testutil::OtherCert()), ",", EnvoyElement(Pki().leaf));
  const Outcome last = Decode(value, XfccElement::kLast);
  ASSERT_EQ(last.error, DecodeError::kNone);
  EXPECT_EQ(last.der, std::vector<std::string>{Pki().leaf.der()});
  const Outcome first = Decode(value, XfccElement::kFirst);
  ASSERT_EQ(first.error, DecodeError::kNone);
  EXPECT_EQ(first.der, std::vector<std::string>{testutil::OtherCert().der()});
}

TEST(XfccTest, EveryElementMustParseEvenIfNotChosen) {
  const std::string value = absl::StrCat("By=a;;Hash=1,", EnvoyElement(Pki().leaf));
  EXPECT_EQ(Decode(value, XfccElement::kLast).error, DecodeError::kMalformed);
}

TEST(XfccTest, UnchosenElementIsNotDecoded) {
  // The first element's Cert is garbage, but only the last is used.
  const std::string value = absl::StrCat("Cert=\"garbage\",", EnvoyElement(Pki().leaf));
  EXPECT_EQ(Decode(value, XfccElement::kLast).error, DecodeError::kNone);
  EXPECT_EQ(Decode(value, XfccElement::kFirst).error, DecodeError::kMalformed);
}

TEST(XfccTest, WhitespaceAndLineFolding) {
  const std::string value = absl::StrCat("By=b ;\r\n\tHash=", Sha256HexLower(Pki().leaf),
                                         " ;  Cert=", CertValue(Pki().leaf), " ,\r\n ", EnvoyElement(Pki().leaf));
  const Outcome out = Decode(value, XfccElement::kFirst);
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.metadata.by, "b");
  EXPECT_EQ(out.der, std::vector<std::string>{Pki().leaf.der()});
}

TEST(XfccTest, ChainOnlyLeafFirst) {
  const Outcome out = Decode(absl::StrCat("Chain=", ChainValue()));
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.der, (std::vector<std::string>{Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()}));
}

TEST(XfccTest, CertAndChainDropTheLeafCopy) {
  const Outcome out = Decode(absl::StrCat("Cert=", CertValue(Pki().leaf), ";Chain=", ChainValue()));
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.der, (std::vector<std::string>{Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()}));
}

TEST(XfccTest, CertAndChainWithoutLeafKeepsAll) {
  const std::string chain =
      absl::StrCat("\"", FullEscape(PemChain({Pki().intermediate.der(), Pki().root.der()})), "\"");
  const Outcome out = Decode(absl::StrCat("Chain=", chain, ";Cert=", CertValue(Pki().leaf)));
  ASSERT_EQ(out.error, DecodeError::kNone);
  EXPECT_EQ(out.der, (std::vector<std::string>{Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()}));
}

TEST(XfccTest, ChainCountsAgainstTheLimit) {
  EXPECT_EQ(Decode(absl::StrCat("Chain=", ChainValue()), XfccElement::kLast, testutil::MaxCertificates(2)).error,
            DecodeError::kTooManyCertificates);
  // Cert + Chain holding the leaf: three distinct certificates fit a limit of three.
  EXPECT_EQ(Decode(absl::StrCat("Cert=", CertValue(Pki().leaf), ";Chain=", ChainValue()), XfccElement::kLast,
                   testutil::MaxCertificates(3))
                .error,
            DecodeError::kNone);
}

TEST(XfccTest, CertTooLarge) {
  EXPECT_EQ(Decode(absl::StrCat("Cert=", CertValue(Pki().leaf)), XfccElement::kLast,
                   testutil::MaxCertificateBytes(Pki().leaf.der().size() - 1))
                .error,
            DecodeError::kCertificateTooLarge);
}

struct MalformedCase {
  std::string name;
  std::string value;
};

class XfccMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(XfccMalformedTest, IsMalformed) {
  const Outcome out = Decode(GetParam().value);
  EXPECT_EQ(out.error, DecodeError::kMalformed);
  EXPECT_TRUE(out.der.empty());
}

std::vector<MalformedCase> MalformedCases() {
  const std::string cert = CertValue(Pki().leaf);
  const std::string hash = Sha256HexLower(Pki().leaf);
  return {
      {"DuplicateCert", absl::StrCat("Cert=", cert, ";Cert=", cert)},
      {"DuplicateCertMixedCase", absl::StrCat("Cert=", cert, ";cert=", cert)},
      {"DuplicateHash", absl::StrCat("Hash=", hash, ";Hash=", hash, ";Cert=", cert)},
      {"DuplicateChain", absl::StrCat("Chain=", ChainValue(), ";Chain=", ChainValue())},
      {"DuplicateSubject", absl::StrCat("Subject=\"a\";Subject=\"b\";Cert=", cert)},
      {"DuplicateBy", absl::StrCat("By=a;By=b;Cert=", cert)},
      {"NoCertificate", absl::StrCat("By=a;Hash=", hash, ";Subject=\"CN=x\"")},
      {"EmptyCert", "Cert=;URI=u"},
      {"EmptyQuotedCert", "Cert=\"\""},
      {"EmptyChain", absl::StrCat("Chain=;Cert=", cert)},
      {"EmptyHash", absl::StrCat("Hash=;Cert=", cert)},
      {"ShortHash", absl::StrCat("Hash=", hash.substr(1), ";Cert=", cert)},
      {"NonHexHash", absl::StrCat("Hash=", std::string(64, 'g'), ";Cert=", cert)},
      {"Sha1Hash", absl::StrCat("Hash=", Pki().leaf.sha1_hex(), ";Cert=", cert)},
      {"CertWithTwoBlocks", absl::StrCat("Cert=\"", FullEscape(PemChain({Pki().leaf.der(), Pki().root.der()})), "\"")},
      {"CertNotUrlEncoded", absl::StrCat("Cert=\"", Pki().leaf.pem(), "\"")},
      {"CertInvalidEscape", absl::StrCat("Cert=", cert.substr(0, cert.size() - 1), "%G\"")},
      {"CertBase64Der", absl::StrCat("Cert=", testutil::Base64(Pki().leaf.der()))},
      {"ChainCutShort", absl::StrCat("Chain=", ChainValue().substr(0, ChainValue().size() - 50), "\"")},
      {"TrailingSemicolon", absl::StrCat("Cert=", cert, ";")},
      {"EmptyElement", absl::StrCat("Cert=", cert, ",,Cert=", cert)},
      {"NulByte", absl::StrCat("Cert=", cert, ";By=\0"s)},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, XfccMalformedTest, ::testing::ValuesIn(MalformedCases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace certguard::headers
