#include "server/headers/nginx_tabbed_pem.h"

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
using testutil::NginxTabbed;
using testutil::PemChain;
using testutil::PemOf;
using testutil::Pki;

std::vector<DecodeCase> Cases() {
  const std::string& leaf = Pki().leaf.der();
  const std::string& inter = Pki().intermediate.der();
  const std::string tabbed = NginxTabbed(PemOf(leaf));
  return {
      Good("NginxSslClientCert", tabbed, {leaf}),
      Good("CrlfFolds", absl::StrReplaceAll(tabbed, {{"\n", "\r\n"}}), {leaf}),
      Good("TrailingLineBreakKept", tabbed + "\n", {leaf}),
      Good("UnfoldedBySpaces", absl::StrReplaceAll(tabbed, {{"\n\t", " "}}), {leaf}),
      Good("Chain", NginxTabbed(PemChain({leaf, inter})), {leaf, inter}),
      Bad("Empty", "", DecodeError::kMalformed),
      Bad("LineWithoutTab", PemOf(leaf), DecodeError::kMalformed),
      Bad("OneLineWithoutTab", absl::StrReplaceAll(tabbed, {{"\n\t-----END", "\n-----END"}}), DecodeError::kMalformed),
      Bad("LoneCr", absl::StrReplaceAll(tabbed, {{"\n\t", "\r\t"}}), DecodeError::kMalformed),
      Bad("SpaceInsteadOfTab", absl::StrReplaceAll(tabbed, {{"\n\t", "\n "}}), DecodeError::kMalformed),
      Bad("TrailingGarbage", tabbed + "\n\tjunk", DecodeError::kMalformed),
      Bad("CutShort", tabbed.substr(0, tabbed.size() - 30), DecodeError::kMalformed),
      Bad("NulByte", absl::StrReplaceAll(tabbed, {{"\n\tMII", "\n\t\0MII"s}}), DecodeError::kMalformed),
      Bad("TooLarge", tabbed, DecodeError::kCertificateTooLarge, testutil::MaxCertificateBytes(leaf.size() - 1)),
  };
}

class NginxTabbedPemTest : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(NginxTabbedPemTest, Decodes) { testutil::ExpectDecodes(DecodeNginxTabbedPem, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Table, NginxTabbedPemTest, ::testing::ValuesIn(Cases()), testutil::TestName);

}  // namespace
}  // namespace certguard::headers
