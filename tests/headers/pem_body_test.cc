#include "server/headers/pem_body.h"

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
using testutil::Good;
using testutil::Pki;

std::vector<DecodeCase> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string body = Pki().leaf.pem_body();  // 64-character lines, LF after each
  return {
      Good("NodeSampleBody", body, {leaf}),
      Good("CrlfLines", absl::StrReplaceAll(body, {{"\n", "\r\n"}}), {leaf}),
      Good("LinesJoinedWithSpaces", absl::StrReplaceAll(body, {{"\n", " "}}), {leaf}),
      Good("SingleLine", Base64(leaf), {leaf}),
      Good("LeadingAndTrailingBlankLines", "\n\n " + body + "\n\n", {leaf}),
      Good("TabIndented", absl::StrReplaceAll(body, {{"\n", "\n\t"}}), {leaf}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("OnlyLineBreaks", "\r\n\r\n", DecodeError::kMalformed),
      Bad("WithPemMarkers", testutil::PemOf(leaf), DecodeError::kMalformed),
      Bad("Junk", body + "#", DecodeError::kMalformed),
      Bad("NulByte", "\0"s + body, DecodeError::kMalformed),
      Bad("VerticalTab", absl::StrReplaceAll(body, {{"\n", "\v"}}), DecodeError::kMalformed),
      Bad("TwoBodies", body + Pki().root.pem_body(), DecodeError::kMalformed),
      Bad("NotDer", Base64("just some text"), DecodeError::kMalformed),
      Bad("TooLarge", body, DecodeError::kCertificateTooLarge, testutil::MaxCertificateBytes(leaf.size() - 1)),
  };
}

class PemBodyTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(PemBodyTest, Decodes) { testutil::ExpectDecodes(DecodePemBody, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Table, PemBodyTest, ::testing::ValuesIn(Cases()), testutil::TestName);

}  // namespace
}  // namespace certguard::headers
