#include "server/headers/detector.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "server/headers/base64.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::Base64;
using testutil::Pki;

struct Case {
  std::string name;
  std::string header;
  std::string value;
  Format expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string pem = testutil::PemOf(leaf);
  const std::string b64 = Base64(leaf);
  const std::string traefik = absl::StrCat(b64, ",", Base64(Pki().intermediate.der()));
  return {
      // By name: the value does not matter.
      {"XfccName", "X-Forwarded-Client-Cert", b64, Format::kXfcc},
      {"XfccNameLowerCase", "x-forwarded-client-cert", "", Format::kXfcc},
      {"ClientCertName", "Client-Cert", b64, Format::kRfc9440},
      {"ClientCertChainName", "CLIENT-CERT-CHAIN", "", Format::kRfc9440},
      {"TraefikName", "X-Forwarded-Tls-Client-Cert", b64, Format::kTraefik},
      {"AlbLeafName", "X-Amzn-Mtls-Clientcert-Leaf", pem, Format::kUrlEncodedPem},
      {"AlbName", "x-amzn-mtls-clientcert", b64, Format::kUrlEncodedPem},
      {"CloudflareName", "Cf-Client-Cert-Der-Base64", pem, Format::kBase64Der},
      // Names that only look similar fall through to the value.
      {"ClientCertificateIsNotClientCert", "Client-Certificate", b64, Format::kBase64Der},
      {"AlbLookalike", "x-amzn-mtls-clientcertx", b64, Format::kBase64Der},
      // By value.
      {"AzureBase64Der", "X-ARR-ClientCert", b64, Format::kBase64Der},
      {"AzureBase64DerEmptyName", "", b64, Format::kBase64Der},
      {"PemBody", "X-ARR-ClientCert", Pki().leaf.pem_body(), Format::kPemBody},
      {"PemBodySpaces", "", absl::StrReplaceAll(Pki().leaf.pem_body(), {{"\n", " "}}), Format::kPemBody},
      {"Pem", "ssl-client-cert", pem, Format::kPem},
      {"PemWithSurroundingWhitespace", "", "\r\n " + pem, Format::kPem},
      {"PemUnfoldedSpaces", "", absl::StrReplaceAll(pem, {{"\n", " "}}), Format::kPem},
      {"NginxTabbed", "ssl-client-cert", testutil::NginxTabbed(pem), Format::kNginxTabbedPem},
      {"NginxEscaped", "ssl-client-cert", testutil::FullEscape(pem), Format::kUrlEncodedPem},
      {"NginxEscapedLowerHex", "", testutil::FullEscape(pem, true), Format::kUrlEncodedPem},
      {"AlbValueUnderOtherName", "X-ARR-ClientCert", testutil::AlbEscape(pem), Format::kUrlEncodedPem},
      {"FullyEscapedDashes", "", absl::StrReplaceAll(testutil::FullEscape(pem), {{"-", "%2D"}}),
       Format::kUrlEncodedPem},
      {"FullyEscapedDashesLowerHex", "", absl::StrReplaceAll(testutil::FullEscape(pem, true), {{"-", "%2d"}}),
       Format::kUrlEncodedPem},
      {"SfBinary", "", testutil::SfBinary(leaf), Format::kRfc9440},
      {"XfccValue", "", "Hash=abc;Cert=\"x\"", Format::kXfcc},
      {"XfccValueByFirst", "x-client-cert", "By=spiffe://a;Hash=abc", Format::kXfcc},
      {"XfccValueMixedCaseKey", "", "cERT=\"x\"", Format::kXfcc},
      {"Traefik", "", traefik, Format::kTraefik},
      {"TraefikSpaces", "", absl::StrReplaceAll(traefik, {{",", ", "}}), Format::kTraefik},
      {"TraefikQueryEscaped", "",
       absl::StrReplaceAll(traefik, {{"+", "%2B"}, {"/", "%2F"}, {"=", "%3D"}, {",", "%2C"}}), Format::kTraefik},
      {"TraefikEscapedSingle", "", "MAX%2F7z77%2Bw%3D%3D", Format::kTraefik},
      // Not recognized.
      {"Empty", "", "", Format::kUnspecified},
      {"Blank", "", " \r\n", Format::kUnspecified},
      {"Junk", "", "hello world!", Format::kUnspecified},
      {"Json", "", "{\"cert\":\"MII\"}", Format::kUnspecified},
      {"NulByte", "", b64.substr(0, 10) + "\0"s + b64.substr(10), Format::kUnspecified},
      {"UnknownXfccKey", "", "Foo=bar;Cert=x", Format::kUnspecified},
      {"PercentWithoutEscapedBase64", "", "MII%41", Format::kUnspecified},
      {"CommaListWithLineBreaks", "", "MII,\nMII", Format::kUnspecified},
  };
}

class DetectorTest : public ::testing::TestWithParam<Case> {};

TEST_P(DetectorTest, Detects) {
  EXPECT_EQ(FormatName(DetectFormat(GetParam().header, GetParam().value)), FormatName(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(Table, DetectorTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

TEST(DetectorTest, ChainOnlyHeader) {
  EXPECT_TRUE(IsChainOnlyHeader("Client-Cert-Chain"));
  EXPECT_TRUE(IsChainOnlyHeader("client-cert-chain"));
  EXPECT_FALSE(IsChainOnlyHeader("Client-Cert"));
  EXPECT_FALSE(IsChainOnlyHeader("x-forwarded-client-cert"));
  EXPECT_FALSE(IsChainOnlyHeader(""));
}

// Rules 11-15 for every byte value placed inside a base64 value, against the rule text.
TEST(DetectorTest, EveryByteInsideABase64Value) {
  for (int byte = 0; byte < 256; ++byte) {
    const char ch = static_cast<char>(byte);
    const std::string value = "MIIB"s + ch + "MIIB";
    Format expected = Format::kUnspecified;
    if (IsBase64Char(ch) || ch == '=') {
      expected = Format::kBase64Der;
    } else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
      expected = Format::kPemBody;
    } else if (ch == ',') {
      expected = Format::kTraefik;
    }
    EXPECT_EQ(FormatName(DetectFormat("X-ARR-ClientCert", value)), FormatName(expected)) << byte;
  }
}

TEST(DetectorTest, XfccKeyEndsAtTheFirstEquals) {
  EXPECT_EQ(DetectFormat("", "subject=\"CN=a\""), Format::kXfcc);
  EXPECT_EQ(DetectFormat("", "SUBJECT=x"), Format::kXfcc);
  EXPECT_EQ(DetectFormat("", "By="), Format::kXfcc);
  EXPECT_EQ(DetectFormat("", "subjects=x"), Format::kBase64Der);  // not a key: base64 and '='
  EXPECT_EQ(DetectFormat("", "subject"), Format::kBase64Der);     // no '=' at all
  EXPECT_EQ(DetectFormat("", "Hashabcdefghij=="), Format::kBase64Der);
  EXPECT_EQ(DetectFormat("", "uri=x;" + std::string(5000, 'A') + "=="), Format::kXfcc);
}

TEST(DetectorTest, JunkAnywhereMakesABase64ValueUnrecognized) {
  const std::string b64 = Base64(Pki().leaf.der());
  for (size_t pos : {size_t{1}, b64.size() / 2, b64.size() - 1}) {
    for (absl::string_view junk : {"!", "-", "_", "\v", "\x80"}) {
      std::string value = b64;
      value.insert(pos, junk.data(), junk.size());
      EXPECT_EQ(DetectFormat("", value), Format::kUnspecified) << pos << " " << junk;
      // A comma or escape after the junk does not rescue it.
      EXPECT_EQ(DetectFormat("", value + ",MIIB"), Format::kUnspecified) << pos;
    }
  }
}

}  // namespace
}  // namespace certguard::headers
