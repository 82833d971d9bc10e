// The reason catalogue against the proto enum and docs/reasons.md: a code added to the enum
// without its sentence or its documentation row fails here.
#include "server/core/reasons.h"

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace certguard::core {
namespace {

const ReasonInfo* Find(v1::Reason reason) {
  for (const ReasonInfo& info : AllReasons()) {
    if (info.reason == reason) return &info;
  }
  return nullptr;
}

TEST(ReasonsTest, EveryEnumValueHasOneEntryWithASentenceAndTheRightDecision) {
  const google::protobuf::EnumDescriptor* reasons = v1::Reason_descriptor();
  std::set<int> seen;
  for (const ReasonInfo& info : AllReasons()) {
    EXPECT_TRUE(seen.insert(info.reason).second) << "listed twice: " << v1::Reason_Name(info.reason);
    EXPECT_NE(reasons->FindValueByNumber(info.reason), nullptr) << info.reason;
  }
  for (int i = 0; i < reasons->value_count(); ++i) {
    const auto reason = static_cast<v1::Reason>(reasons->value(i)->number());
    if (reason == v1::REASON_UNSPECIFIED) continue;
    const ReasonInfo* info = Find(reason);
    ASSERT_NE(info, nullptr) << reasons->value(i)->name() << " has no entry in server/core/reasons.cc";
    EXPECT_GT(std::string(info->sentence).size(), 10u) << reasons->value(i)->name();
    EXPECT_STREQ(ReasonSentence(reason), info->sentence);
    const bool allows = reason == v1::OK || reason == v1::CERTIFICATE_ABSENT_ALLOWED || reason == v1::PATH_EXCLUDED;
    EXPECT_EQ(info->decision, allows ? v1::ALLOW : v1::DENY) << reasons->value(i)->name();
  }
  EXPECT_STREQ(ReasonSentence(static_cast<v1::Reason>(12345)), "unknown reason");
}

TEST(ReasonsTest, DocsListEveryCodeWithItsDecisionAndSentence) {
  std::ifstream in(CERTGUARD_SOURCE_DIR "/docs/reasons.md");
  ASSERT_TRUE(in) << "docs/reasons.md";
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::string> documented;
  for (absl::string_view line : absl::StrSplit(doc, '\n')) {
    if (!absl::ConsumePrefix(&line, "| `")) continue;
    const std::vector<std::string> cells = absl::StrSplit(line, " | ");
    ASSERT_GE(cells.size(), 3u) << line;
    const std::string code(absl::StripSuffix(cells[0], "`"));
    v1::Reason reason;
    ASSERT_TRUE(v1::Reason_Parse(code, &reason)) << "docs/reasons.md names an unknown code: " << code;
    const ReasonInfo* info = Find(reason);
    ASSERT_NE(info, nullptr) << code;
    EXPECT_EQ(cells[1], v1::Decision_Name(info->decision)) << code;
    EXPECT_EQ(cells[2], info->sentence) << code;
    documented.insert(code);
  }
  for (const ReasonInfo& info : AllReasons()) {
    EXPECT_TRUE(documented.count(v1::Reason_Name(info.reason)))
        << v1::Reason_Name(info.reason) << " is not in docs/reasons.md";
  }
}

}  // namespace
}  // namespace certguard::core
