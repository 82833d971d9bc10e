// The format catalogue against the proto enum, the detector and docs/header-formats.md.
#include "server/headers/format_catalogue.h"

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "certguard/v1/validator.pb.h"
#include "server/headers/detector.h"

namespace certguard::headers {
namespace {

TEST(FormatCatalogueTest, EveryProtoFormatHasOneEntryWithTheSameNumberAndName) {
  const google::protobuf::EnumDescriptor* formats = v1::HeaderFormat_descriptor();
  std::set<Format> seen;
  for (const FormatInfo& info : AllFormats()) {
    EXPECT_TRUE(seen.insert(info.format).second) << info.name;
    const auto* value = formats->FindValueByNumber(static_cast<int>(info.format));
    ASSERT_NE(value, nullptr) << info.name;
    EXPECT_EQ(value->name(), info.name);
    EXPECT_NE(info.decode, nullptr) << info.name;
    EXPECT_FALSE(info.fuzz_header.empty()) << info.name;
    EXPECT_EQ(FormatName(info.format), info.name);
    EXPECT_EQ(ParseFormatName(absl::AsciiStrToLower(std::string(info.name))), info.format);
  }
  for (int i = 0; i < formats->value_count(); ++i) {
    if (formats->value(i)->number() == 0) continue;
    EXPECT_NE(FindFormat(static_cast<Format>(formats->value(i)->number())), nullptr)
        << formats->value(i)->name() << " has no entry in server/headers/format_catalogue.cc";
  }
  EXPECT_EQ(FindFormat(Format::kUnspecified), nullptr);
}

TEST(FormatCatalogueTest, DetectionByNameFollowsTheKnownHeaders) {
  for (const KnownHeader& known : KnownHeaders()) {
    EXPECT_EQ(known.name, absl::AsciiStrToLower(std::string(known.name)));
    const std::string upper = absl::AsciiStrToUpper(std::string(known.name));
    switch (known.role) {
      case HeaderRole::kFixesFormat:
      case HeaderRole::kChainOnly:
        // Whatever the value, the name decides.
        EXPECT_EQ(DetectFormat(upper, "not a certificate"), known.format) << known.name;
        EXPECT_EQ(IsChainOnlyHeader(upper), known.role == HeaderRole::kChainOnly) << known.name;
        break;
      case HeaderRole::kFixesFormatByPrefix:
        EXPECT_EQ(DetectFormat(upper + "CHAIN-1", "not a certificate"), known.format) << known.name;
        break;
      case HeaderRole::kDetectByValue:
        EXPECT_EQ(DetectFormat(known.name, "not a certificate!"), Format::kUnspecified) << known.name;
        EXPECT_EQ(DetectFormat(known.name, "MIIBIjAN"), Format::kBase64Der) << known.name;
        break;
    }
  }
}

TEST(FormatCatalogueTest, DocsNameEveryFormatAndEveryHeader) {
  std::ifstream in(CERTGUARD_SOURCE_DIR "/docs/header-formats.md");
  ASSERT_TRUE(in);
  const std::string doc =
      absl::AsciiStrToLower(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  for (const FormatInfo& info : AllFormats()) {
    EXPECT_NE(doc.find("(`" + absl::AsciiStrToLower(std::string(info.name)) + "`)"), std::string::npos)
        << info.name << " is not in docs/header-formats.md";
  }
  for (const KnownHeader& known : KnownHeaders()) {
    if (known.role == HeaderRole::kFixesFormatByPrefix) continue;
    EXPECT_NE(doc.find("`" + std::string(known.name)), std::string::npos)
        << known.name << " is not in docs/header-formats.md";
  }
}

}  // namespace
}  // namespace certguard::headers
