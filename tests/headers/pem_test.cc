#include "server/headers/pem.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace certguard::headers {
namespace {

using namespace std::string_literals;

constexpr char kBegin[] = "-----BEGIN CERTIFICATE-----";
constexpr char kEnd[] = "-----END CERTIFICATE-----";

std::string Block(absl::string_view body, absl::string_view eol = "\n") {
  return std::string(kBegin) + std::string(eol) + std::string(body) + std::string(eol) + kEnd + std::string(eol);
}

absl::StatusOr<std::vector<std::string>> Bodies(absl::string_view text) {
  std::vector<std::string> bodies;
  absl::Status status = ForEachPemCertificate(text, [&](absl::string_view body) {
    bodies.emplace_back(body);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return bodies;
}

struct GoodCase {
  std::string name;
  std::string text;
  std::vector<std::string> bodies;
};

class PemGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(PemGoodTest, VisitsEveryBlockInOrder) {
  absl::StatusOr<std::vector<std::string>> bodies = Bodies(GetParam().text);
  ASSERT_TRUE(bodies.ok()) << bodies.status();
  EXPECT_EQ(*bodies, GetParam().bodies);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PemGoodTest,
    ::testing::Values(
        GoodCase{"One", Block("QUFB"), {"\nQUFB\n"}},
        GoodCase{"NoTrailingNewline", std::string(kBegin) + "\nQUFB\n" + kEnd, {"\nQUFB\n"}},
        GoodCase{"Crlf", Block("QUFB", "\r\n"), {"\r\nQUFB\r\n"}},
        GoodCase{"SingleLine", std::string(kBegin) + "QUFB" + kEnd, {"QUFB"}},
        GoodCase{"SpacesInsteadOfNewlines", std::string(kBegin) + " QUFB " + kEnd + " ", {" QUFB "}},
        GoodCase{"LeadingWhitespace", "\n \t" + Block("QUFB"), {"\nQUFB\n"}},
        GoodCase{"ThreeBlocksKeepOrder",
                 Block("QUFB") + Block("QkJC") + Block("Q0ND"),
                 {"\nQUFB\n", "\nQkJC\n", "\nQ0ND\n"}},
        GoodCase{
            "BlocksWithoutSeparator", std::string(kBegin) + "QUFB" + kEnd + kBegin + "QkJC" + kEnd, {"QUFB", "QkJC"}},
        GoodCase{"BlankLinesBetween", Block("QUFB") + "\n\n\r\n" + Block("QkJC"), {"\nQUFB\n", "\nQkJC\n"}}),
    [](const auto& info) { return info.param.name; });

struct BadCase {
  std::string name;
  std::string text;
};

class PemBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(PemBadTest, Rejects) {
  absl::StatusOr<std::vector<std::string>> bodies = Bodies(GetParam().text);
  ASSERT_FALSE(bodies.ok());
  EXPECT_EQ(bodies.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PemBadTest,
    ::testing::Values(BadCase{"Empty", ""}, BadCase{"OnlyWhitespace", " \r\n\t"}, BadCase{"NoMarkers", "QUFB"},
                      BadCase{"ExplanatoryTextBefore", "Subject: CN=x\n" + Block("QUFB")},
                      BadCase{"TrailingGarbage", Block("QUFB") + "garbage"},
                      BadCase{"TrailingGarbageAfterEndOnSameLine", std::string(kBegin) + "\nQUFB\n" + kEnd + "x"},
                      BadCase{"GarbageBetweenBlocks", Block("QUFB") + "x\n" + Block("QkJC")},
                      BadCase{"TrailingNul", Block("QUFB") + "\0"s},
                      BadCase{"BeginWithoutEnd", std::string(kBegin) + "\nQUFB\n"},
                      BadCase{"SecondBlockCutShort", Block("QUFB") + kBegin + "\nQkJC"},
                      BadCase{"BeginInsideBlock", std::string(kBegin) + "\nQUFB\n" + Block("QkJC")},
                      BadCase{"EndWithoutBegin", std::string(kEnd) + "\n"},
                      BadCase{"TruncatedEndMarker", std::string(kBegin) + "\nQUFB\n-----END CERT"},
                      BadCase{"PrivateKeyBlock", "-----BEGIN PRIVATE KEY-----\nQUFB\n-----END PRIVATE KEY-----\n"},
                      BadCase{"PrivateKeyAfterCertificate",
                              Block("QUFB") + "-----BEGIN PRIVATE KEY-----\nQUFB\n-----END PRIVATE KEY-----\n"},
                      BadCase{"LegacyX509Label",
                              "-----BEGIN X509 CERTIFICATE-----\nQUFB\n-----END X509 CERTIFICATE-----\n"},
                      BadCase{"LowerCaseLabel", "-----begin certificate-----\nQUFB\n-----end certificate-----\n"},
                      BadCase{"MismatchedEndLabel", std::string(kBegin) + "\nQUFB\n-----END PRIVATE KEY-----\n"}),
    [](const auto& info) { return info.param.name; });

TEST(PemTest, VisitorErrorStopsScanning) {
  int visits = 0;
  const std::string text = Block("QUFB") + Block("QkJC") + Block("Q0ND");
  absl::Status status = ForEachPemCertificate(text, [&](absl::string_view) {
    ++visits;
    return visits == 2 ? absl::ResourceExhaustedError("stop") : absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(visits, 2);
}

TEST(PemTest, ManyBlocksAreAllVisited) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += Block("QUFB");
  absl::StatusOr<std::vector<std::string>> bodies = Bodies(text);
  ASSERT_TRUE(bodies.ok()) << bodies.status();
  EXPECT_EQ(bodies->size(), 200u);
}

}  // namespace
}  // namespace certguard::headers
