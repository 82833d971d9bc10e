#include "server/headers/decoder.h"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "server/headers/der_check.h"
#include "server/headers/header_format.h"
#include "tests/headers/header_test_util.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;
using testutil::Base64;
using testutil::FullEscape;
using testutil::PemChain;
using testutil::PemOf;
using testutil::Pki;
using testutil::SfBinary;

// Owns the strings a HeaderInput points into.
struct Header {
  std::string name;
  std::string value;
  Format format = Format::kUnspecified;
};

DecodeResult Decode(const std::vector<Header>& headers, const DecodeOptions& options = {}) {
  std::vector<HeaderInput> inputs;
  for (const Header& header : headers) inputs.push_back({header.name, header.value, header.format});
  return DecodeHeaders(inputs, options);
}

std::vector<std::string> FullChain() { return {Pki().leaf.der(), Pki().intermediate.der(), Pki().root.der()}; }

std::string EnvoyXfcc() {
  return absl::StrCat("By=spiffe://a;Hash=", testutil::Sha256HexLower(Pki().leaf), ";Cert=\"",
                      FullEscape(Pki().leaf.pem()), "\";Subject=\"CN=client.example.com\";URI=u");
}

struct FormatCase {
  std::string name;
  std::vector<Header> headers;
  Format format;
  std::vector<std::string> der;
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }

std::vector<FormatCase> FormatCases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string& inter = Pki().intermediate.der();
  const std::string& root = Pki().root.der();
  const std::string pem_chain = PemChain(FullChain());
  return {
      {"AzureArr", {{"X-ARR-ClientCert", Base64(leaf)}}, Format::kBase64Der, {leaf}},
      {"SeedPemBody", {{"X-ARR-ClientCert", Pki().leaf.pem_body()}}, Format::kPemBody, {leaf}},
      {"HaproxyAnyName", {{"X-SSL-Client-Cert", Base64(leaf)}}, Format::kBase64Der, {leaf}},
      {"Cloudflare", {{"Cf-Client-Cert-Der-Base64", Base64(leaf)}}, Format::kBase64Der, {leaf}},
      {"PemChain", {{"ssl-client-cert", pem_chain}}, Format::kPem, FullChain()},
      {"NginxEscaped", {{"ssl-client-cert", FullEscape(pem_chain)}}, Format::kUrlEncodedPem, FullChain()},
      {"NginxTabbed", {{"ssl-client-cert", testutil::NginxTabbed(Pki().leaf.pem())}}, Format::kNginxTabbedPem, {leaf}},
      {"AlbLeaf",
       {{"X-Amzn-Mtls-Clientcert-Leaf", testutil::AlbEscape(Pki().leaf.pem())}},
       Format::kUrlEncodedPem,
       {leaf}},
      {"AlbPassthroughChain",
       {{"X-Amzn-Mtls-Clientcert", testutil::AlbEscape(pem_chain)}},
       Format::kUrlEncodedPem,
       FullChain()},
      {"Traefik",
       {{"X-Forwarded-Tls-Client-Cert", absl::StrCat(Base64(leaf), ",", Base64(inter))}},
       Format::kTraefik,
       {leaf, inter}},
      {"Xfcc", {{"X-Forwarded-Client-Cert", EnvoyXfcc()}}, Format::kXfcc, {leaf}},
      {"Rfc9440LeafOnly", {{"Client-Cert", SfBinary(leaf)}}, Format::kRfc9440, {leaf}},
      {"Rfc9440WithChain",
       {{"Client-Cert", SfBinary(leaf)}, {"Client-Cert-Chain", absl::StrCat(SfBinary(inter), ", ", SfBinary(root))}},
       Format::kRfc9440,
       FullChain()},
      {"Rfc9440ChainHeaderFirst",
       {{"client-cert-chain", absl::StrCat(SfBinary(inter), ", ", SfBinary(root))}, {"client-cert", SfBinary(leaf)}},
       Format::kRfc9440,
       FullChain()},
      {"Rfc9440TwoChainFieldLinesInOrder",
       {{"Client-Cert", SfBinary(leaf)}, {"Client-Cert-Chain", SfBinary(inter)}, {"Client-Cert-Chain", SfBinary(root)}},
       Format::kRfc9440,
       FullChain()},
      {"Rfc9440EmptyChain", {{"Client-Cert", SfBinary(leaf)}, {"Client-Cert-Chain", ""}}, Format::kRfc9440, {leaf}},
      {"EmptyHeaderBesideRealOne",
       {{"X-ARR-ClientCert", ""}, {"X-Forwarded-Tls-Client-Cert", Base64(leaf)}},
       Format::kTraefik,
       {leaf}},
      {"ValueWithSurroundingOws", {{"X-ARR-ClientCert", " \t" + Base64(leaf) + " "}}, Format::kBase64Der, {leaf}},
      {"ExplicitFormat", {{"", Base64(leaf), Format::kPemBody}}, Format::kPemBody, {leaf}},
  };
}

class DecoderFormatTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(DecoderFormatTest, DecodesLeafFirst) {
  const FormatCase& c = GetParam();
  const DecodeResult result = Decode(c.headers);
  ASSERT_EQ(result.error, DecodeError::kNone) << result.message;
  EXPECT_FALSE(result.absent);
  EXPECT_EQ(FormatName(result.chain.format), FormatName(c.format));
  EXPECT_EQ(result.chain.der, c.der);
  EXPECT_TRUE(result.message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, DecoderFormatTest, ::testing::ValuesIn(FormatCases()),
                         [](const auto& info) { return info.param.name; });

struct ErrorCase {
  std::string name;
  std::vector<Header> headers;
  DecodeError error;
  DecodeOptions options;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

DecodeOptions AllowNames(std::vector<std::string> names) {
  DecodeOptions options;
  options.allowed_header_names = std::move(names);
  return options;
}

DecodeOptions AllowFormats(std::vector<Format> formats) {
  DecodeOptions options;
  options.allowed_formats = std::move(formats);
  return options;
}

DecodeOptions Limits(size_t header_bytes, size_t certificates, size_t certificate_bytes) {
  DecodeOptions options;
  options.limits.max_header_bytes = header_bytes;
  options.limits.max_certificates = certificates;
  options.limits.max_certificate_bytes = certificate_bytes;
  return options;
}

std::vector<ErrorCase> ErrorCases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string b64 = Base64(leaf);
  const std::string eleven = PemChain(std::vector<std::string>(11, leaf));
  const std::string big = std::string(64 * 1024 - 16 + 1, 'A');
  DecodeOptions names_and_size = AllowNames({"x-arr-clientcert"});
  names_and_size.limits.max_header_bytes = 100;
  DecodeOptions formats_and_names = AllowNames({"x-arr-clientcert"});
  formats_and_names.allowed_formats = {Format::kPem};
  return {
      // (1) size, first of all.
      {"HeaderTooLarge", {{"X-ARR-ClientCert", big}}, DecodeError::kHeaderTooLarge, {}},
      {"HeaderTooLargeCountsNamesAndAllHeaders",
       {{"X-ARR-ClientCert", std::string(40, 'A')}, {"Client-Cert-Chain", std::string(44, 'A')}},
       DecodeError::kHeaderTooLarge,
       Limits(100, 10, 16384)},
      {"HeaderTooLargeBeforeNameCheck",
       {{"Not-Allowed", std::string(200, 'A')}},
       DecodeError::kHeaderTooLarge,
       names_and_size},
      {"HeaderTooLargeEvenIfBlank",
       {{"X-ARR-ClientCert", std::string(200, ' ')}},
       DecodeError::kHeaderTooLarge,
       Limits(100, 10, 16384)},
      // (2) names.
      {"HeaderNotAllowed",
       {{"Client-Cert", SfBinary(leaf)}},
       DecodeError::kHeaderNotAllowed,
       AllowNames({"x-arr-clientcert"})},
      {"EmptyNameNotAllowedWithAllowlist",
       {{"", b64}},
       DecodeError::kHeaderNotAllowed,
       AllowNames({"x-arr-clientcert"})},
      {"EmptyValueStillNameChecked",
       {{"X-Other", ""}},
       DecodeError::kHeaderNotAllowed,
       AllowNames({"x-arr-clientcert"})},
      {"NameCheckBeforeFormatCheck",
       {{"Client-Cert", SfBinary(leaf)}},
       DecodeError::kHeaderNotAllowed,
       formats_and_names},
      // (4) formats.
      {"FormatNotAllowed",
       {{"X-ARR-ClientCert", PemOf(leaf)}},
       DecodeError::kFormatNotAllowed,
       AllowFormats({Format::kBase64Der})},
      {"ExplicitFormatNotAllowed",
       {{"X-ARR-ClientCert", b64, Format::kBase64Der}},
       DecodeError::kFormatNotAllowed,
       AllowFormats({Format::kPem})},
      {"FormatCheckBeforeDecoding",
       {{"X-Forwarded-Client-Cert", "garbage"}},
       DecodeError::kFormatNotAllowed,
       AllowFormats({Format::kBase64Der})},
      // (5) combination rules.
      {"TwoLeafHeaders", {{"X-ARR-ClientCert", b64}, {"Client-Cert", SfBinary(leaf)}}, DecodeError::kMalformed, {}},
      {"ChainWithoutLeaf", {{"Client-Cert-Chain", SfBinary(leaf)}}, DecodeError::kMalformed, {}},
      {"ChainWithEmptyLeaf", {{"Client-Cert", ""}, {"Client-Cert-Chain", SfBinary(leaf)}}, DecodeError::kMalformed, {}},
      {"ChainWithNonRfc9440Leaf",
       {{"X-ARR-ClientCert", b64}, {"Client-Cert-Chain", SfBinary(leaf)}},
       DecodeError::kMalformed,
       {}},
      {"ChainHeaderInOtherFormat",
       {{"Client-Cert", SfBinary(leaf)}, {"Client-Cert-Chain", b64, Format::kTraefik}},
       DecodeError::kMalformed,
       {}},
      {"MalformedChainHeader",
       {{"Client-Cert", SfBinary(leaf)}, {"Client-Cert-Chain", b64}},
       DecodeError::kMalformed,
       {}},
      // (6) certificate limits.
      {"TooManyCertificatesDefaultLimit", {{"ssl-client-cert", eleven}}, DecodeError::kTooManyCertificates, {}},
      {"TooManyAcrossLeafAndChain",
       {{"Client-Cert", SfBinary(leaf)}, {"Client-Cert-Chain", absl::StrCat(SfBinary(leaf), ",", SfBinary(leaf))}},
       DecodeError::kTooManyCertificates,
       Limits(64 * 1024, 2, 16384)},
      {"CertificateTooLargeDefaultLimit",
       {{"X-ARR-ClientCert", Base64(testutil::FakeDer(16 * 1024 + 1))}},
       DecodeError::kCertificateTooLarge,
       {}},
      {"CertificateTooLarge",
       {{"Client-Cert", SfBinary(leaf)}},
       DecodeError::kCertificateTooLarge,
       Limits(64 * 1024, 10, leaf.size() - 1)},
      // (7) malformed.
      {"Unrecognized", {{"X-ARR-ClientCert", "hello world"}}, DecodeError::kMalformed, {}},
      {"NulInValue", {{"X-ARR-ClientCert", b64.substr(0, 20) + "\0"s + b64.substr(20)}}, DecodeError::kMalformed, {}},
      {"NulInName", {{"X-ARR\0ClientCert"s, "\0"s}}, DecodeError::kMalformed, {}},
      {"InvalidUtf8", {{"X-ARR-ClientCert", "\xff\xfe\xc3"}}, DecodeError::kMalformed, {}},
      {"NotACertificate", {{"X-ARR-ClientCert", Base64("hello")}}, DecodeError::kMalformed, {}},
      {"ExplicitWrongFormat", {{"X-ARR-ClientCert", b64, Format::kPem}}, DecodeError::kMalformed, {}},
      {"HashMismatch",
       {{"X-Forwarded-Client-Cert",
         absl::StrCat("Hash=", testutil::Sha256HexLower(Pki().root), ";Cert=\"", FullEscape(Pki().leaf.pem()), "\"")}},
       DecodeError::kHashMismatch,
       {}},
  };
}

class DecoderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(DecoderErrorTest, Fails) {
  const ErrorCase& c = GetParam();
  const DecodeResult result = Decode(c.headers, c.options);
  EXPECT_EQ(result.error, c.error) << result.message;
  EXPECT_FALSE(result.absent);
  EXPECT_TRUE(result.chain.der.empty());
  EXPECT_FALSE(result.message.empty());
  EXPECT_TRUE(testutil::IsSafeMessage(result.message)) << result.message;
}

INSTANTIATE_TEST_SUITE_P(Table, DecoderErrorTest, ::testing::ValuesIn(ErrorCases()),
                         [](const auto& info) { return info.param.name; });

TEST(DecoderTest, AbsentWhenEveryValueIsEmptyOrBlank) {
  EXPECT_TRUE(Decode({}).absent);
  EXPECT_TRUE(Decode({{"X-ARR-ClientCert", ""}}).absent);
  EXPECT_TRUE(Decode({{"X-ARR-ClientCert", " \t\r\n"}}).absent);
  const DecodeResult both = Decode({{"Client-Cert", ""}, {"Client-Cert-Chain", " "}});
  EXPECT_TRUE(both.absent);
  EXPECT_EQ(both.error, DecodeError::kNone);
  EXPECT_TRUE(both.chain.der.empty());
  EXPECT_FALSE(Decode({{"X-ARR-ClientCert", "x"}}).absent);
}

TEST(DecoderTest, HeaderSizeLimitIsExact) {
  const std::string name = "X-ARR-ClientCert";
  const std::string value = Base64(Pki().leaf.der());
  DecodeOptions options;
  options.limits.max_header_bytes = name.size() + value.size();
  EXPECT_EQ(Decode({{name, value}}, options).error, DecodeError::kNone);
  options.limits.max_header_bytes -= 1;
  EXPECT_EQ(Decode({{name, value}}, options).error, DecodeError::kHeaderTooLarge);
}

TEST(DecoderTest, CertificateCountLimitIsExact) {
  const std::string pem = PemChain(FullChain());
  DecodeOptions options;
  options.limits.max_certificates = 3;
  EXPECT_EQ(Decode({{"ssl-client-cert", pem}}, options).error, DecodeError::kNone);
  options.limits.max_certificates = 2;
  EXPECT_EQ(Decode({{"ssl-client-cert", pem}}, options).error, DecodeError::kTooManyCertificates);
}

TEST(DecoderTest, HeaderNamesMatchCaseInsensitively) {
  DecodeOptions options = AllowNames({"x-arr-clientcert"});
  const DecodeResult result = Decode({{"X-ARR-CLIENTCERT", Base64(Pki().leaf.der())}}, options);
  ASSERT_EQ(result.error, DecodeError::kNone) << result.message;
  EXPECT_EQ(result.chain.header_name, "X-ARR-CLIENTCERT");
}

TEST(DecoderTest, AllowedFormatAccepted) {
  const DecodeResult result =
      Decode({{"X-ARR-ClientCert", Base64(Pki().leaf.der())}}, AllowFormats({Format::kPem, Format::kBase64Der}));
  EXPECT_EQ(result.error, DecodeError::kNone) << result.message;
}

TEST(DecoderTest, XfccMetadataAndElementChoice) {
  const std::string other = absl::StrCat("Cert=\"", FullEscape(testutil::OtherCert().pem()), "\";By=first");
  const std::string value = absl::StrCat(other, ",", EnvoyXfcc());
  DecodeResult last = Decode({{"X-Forwarded-Client-Cert", value}});
  ASSERT_EQ(last.error, DecodeError::kNone) << last.message;
  ASSERT_TRUE(last.chain.xfcc.has_value());
  EXPECT_EQ(last.chain.xfcc->by, "spiffe://a");
  EXPECT_EQ(last.chain.xfcc->subject, "CN=client.example.com");
  EXPECT_EQ(last.chain.der, std::vector<std::string>{Pki().leaf.der()});

  DecodeOptions first_options;
  first_options.xfcc_element = XfccElement::kFirst;
  DecodeResult first = Decode({{"X-Forwarded-Client-Cert", value}}, first_options);
  ASSERT_EQ(first.error, DecodeError::kNone) << first.message;
  EXPECT_EQ(first.chain.xfcc->by, "first");
  EXPECT_EQ(first.chain.der, std::vector<std::string>{testutil::OtherCert().der()});
}

TEST(DecoderTest, NonXfccFormatsHaveNoXfccMetadata) {
  const DecodeResult result = Decode({{"X-ARR-ClientCert", Base64(Pki().leaf.der())}});
  ASSERT_EQ(result.error, DecodeError::kNone);
  EXPECT_FALSE(result.chain.xfcc.has_value());
}

// True when some `window`-byte run of `input` appears in `message`.
bool EchoesRun(const std::string& message, const std::string& input, size_t window) {
  for (size_t i = 0; i + window <= input.size(); ++i) {
    if (message.find(input.substr(i, window)) != std::string::npos) return true;
  }
  return false;
}

TEST(DecoderTest, MessagesNeverEchoMoreThan32BytesOfInput) {
  const std::string secret = "SECRETSECRETSECRETSECRETSECRETSECRETSECRET";  // 42 bytes
  const std::vector<Header> inputs = {
      {"X-ARR-ClientCert", secret + "!"},
      {"X-ARR-ClientCert", "{" + secret},
      {"X-ARR-ClientCert", "-----BEGIN CERTIFICATE-----\n" + secret},
      {"X-Forwarded-Client-Cert", "Cert=" + secret + ";Hash=" + secret},
      {"X-Forwarded-Client-Cert", "Subject=\"" + secret},
      {"Client-Cert", ":" + secret + ":;" + secret},
      {"X-Forwarded-Tls-Client-Cert", secret + "," + secret},
      {secret + secret, secret},
  };
  for (const Header& header : inputs) {
    for (Format format :
         {Format::kUnspecified, Format::kBase64Der, Format::kPemBody, Format::kPem, Format::kUrlEncodedPem,
          Format::kXfcc, Format::kRfc9440, Format::kNginxTabbedPem, Format::kTraefik}) {
      Header copy = header;
      copy.format = format;
      for (const DecodeOptions& options : {DecodeOptions{}, AllowNames({"x"}), AllowFormats({Format::kPem})}) {
        const DecodeResult result = Decode({copy}, options);
        ASSERT_NE(result.error, DecodeError::kNone) << header.value;
        EXPECT_FALSE(EchoesRun(result.message, header.value, 33)) << result.message;
        EXPECT_FALSE(EchoesRun(result.message, header.name, 33)) << result.message;
        EXPECT_TRUE(testutil::IsSafeMessage(result.message)) << result.message;
      }
    }
  }
}

TEST(DecoderTest, HugeInputIsRefusedByTheSizeLimitAndSurvivedWithoutIt) {
  std::string huge(4 * 1024 * 1024, 'A');
  EXPECT_EQ(Decode({{"X-ARR-ClientCert", huge}}).error, DecodeError::kHeaderTooLarge);
  DecodeOptions unlimited = Limits(SIZE_MAX, 10, 16384);
  // 4 MiB of 'A' decodes to zeros; the size limit stops base64 decoding at 16 KiB.
  EXPECT_EQ(Decode({{"X-ARR-ClientCert", huge}}, unlimited).error, DecodeError::kCertificateTooLarge);
  // 100000 tiny PEM blocks: the count limit stops the scan at the eleventh.
  std::string blocks;
  for (int i = 0; i < 100000; ++i) blocks += PemOf(testutil::FakeDer(3));
  EXPECT_EQ(Decode({{"ssl-client-cert", blocks}}, unlimited).error, DecodeError::kTooManyCertificates);
}

// Valid values of every format, mutated at random: whatever the outcome, the result must obey
// the contract (bounded, safe message; DER-shaped certificates within the limits).
TEST(DecoderTest, RandomMutationsKeepTheContract) {
  const std::vector<FormatCase> seeds = FormatCases();
  std::mt19937 rng(20240601);
  const std::string specials = "%,;=\"\\:+/- \t\r\n\0-----BEGIN"s;
  DecodeOptions options;
  options.limits.max_certificates = 4;
  options.limits.max_certificate_bytes = 2048;
  int decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<Header> headers = seeds[rng() % seeds.size()].headers;
    Header& target = headers[rng() % headers.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !target.value.empty(); ++e) {
      const size_t at = rng() % target.value.size();
      switch (rng() % 4) {
        case 0:
          target.value[at] = static_cast<char>(rng() & 0xff);
          break;
        case 1:
          target.value[at] = specials[rng() % specials.size()];
          break;
        case 2:
          target.value.erase(at, 1 + rng() % 8);
          break;
        default:
          target.value.insert(at, 1, specials[rng() % specials.size()]);
          break;
      }
    }
    const DecodeResult result = Decode(headers, options);
    if (result.error == DecodeError::kNone && !result.absent) {
      ++decoded;
      ASSERT_GE(result.chain.der.size(), 1u);
      ASSERT_LE(result.chain.der.size(), options.limits.max_certificates);
      for (const std::string& der : result.chain.der) {
        EXPECT_LE(der.size(), options.limits.max_certificate_bytes);
        EXPECT_TRUE(CheckDerSequence(der).ok());
      }
    } else if (result.error != DecodeError::kNone) {
      EXPECT_FALSE(result.absent);
      EXPECT_TRUE(result.chain.der.empty());
      EXPECT_TRUE(testutil::IsSafeMessage(result.message)) << result.message;
    }
  }
  // Some mutations (e.g. inside XFCC Subject) are harmless: the test saw both outcomes.
  EXPECT_GT(decoded, 0);
}

}  // namespace
}  // namespace certguard::headers
