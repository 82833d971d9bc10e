#include "server/headers/traefik.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
using testutil::TrickyDer;

// Go's url.QueryEscape of base64 text: '+', '/', '=' and ',' escaped.
std::string QueryEscape(const std::string& text) {
  return absl::StrReplaceAll(text, {{"+", "%2B"}, {"/", "%2F"}, {"=", "%3D"}, {",", "%2C"}});
}

std::vector<DecodeCase> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string& inter = Pki().intermediate.der();
  const std::string& root = Pki().root.der();
  const std::string list = absl::StrCat(Base64(leaf), ",", Base64(inter), ",", Base64(root));
  return {
      Good("SingleCertificate", Base64(leaf), {leaf}),
      Good("ChainLeafFirst", list, {leaf, inter, root}),
      Good("SpacesAroundCommas", absl::StrReplaceAll(list, {{",", " , "}}), {leaf, inter, root}),
      Good("QueryEscapedChain", QueryEscape(list), {leaf, inter, root}),
      Good("QueryEscapedTricky", QueryEscape(Base64(TrickyDer())), {TrickyDer()}),
      Good("RawPlusInTricky", absl::StrCat(Base64(TrickyDer()), ",", Base64(leaf)), {TrickyDer(), leaf}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("EmptyMember", absl::StrCat(Base64(leaf), ",,", Base64(inter)), DecodeError::kMalformed),
      Bad("TrailingComma", Base64(leaf) + ",", DecodeError::kMalformed),
      Bad("LeadingComma", "," + Base64(leaf), DecodeError::kMalformed),
      Bad("OnlyComma", ",", DecodeError::kMalformed),
      Bad("LineBreakInMember", Pki().leaf.pem_body(), DecodeError::kMalformed),
      Bad("PemMarkers", Pki().leaf.pem(), DecodeError::kMalformed),
      Bad("InvalidEscape", Base64(leaf) + "%2", DecodeError::kMalformed),
      Bad("JunkMember", Base64(leaf) + ",!!!!", DecodeError::kMalformed),
      Bad("NotDerMember", Base64(leaf) + "," + Base64("text"), DecodeError::kMalformed),
      Bad("NulByte", Base64(leaf) + ",\0"s, DecodeError::kMalformed),
      Bad("TooMany", list, DecodeError::kTooManyCertificates, testutil::MaxCertificates(2)),
      Bad("TooManyStopsBeforeJunk", list + ",!!!!", DecodeError::kTooManyCertificates, testutil::MaxCertificates(3)),
      Bad("TooLarge", list, DecodeError::kCertificateTooLarge, testutil::MaxCertificateBytes(root.size() - 1)),
  };
}

class TraefikTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(TraefikTest, Decodes) { testutil::ExpectDecodes(DecodeTraefik, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Table, TraefikTest, ::testing::ValuesIn(Cases()), testutil::TestName);

}  // namespace
}  // namespace certguard::headers
