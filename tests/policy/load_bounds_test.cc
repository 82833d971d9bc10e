// What one registry load may cost (registry_loader.h): alias bombs, values past the budget, file
// size, and the length of the error report.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/policy/registry_loader.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::policy {
namespace {

using ::testing::HasSubstr;

TEST(LoadBoundsTest, ManyAliasesAreRefusedBeforeAnythingIsBuilt) {
  std::string text = "id: p\nclient_certificate_mode: OPTIONAL\nidentity:\n  subject_cn: &cn [a]\n";
  for (size_t i = 0; i <= kMaxYamlAliases; ++i) absl::StrAppend(&text, "k", i, ": *cn\n");
  testing::RegistryBuilder b;
  b.Policy("p.yaml", text);
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("more than 1000 YAML aliases"));
}

// Few aliases, each standing for a large subtree: 999 copies of a policy with 5,000 paths are
// five million values; the conversion stops at the file's budget.
TEST(LoadBoundsTest, AliasesThatExpandPastTheValueBudgetAreRefused) {
  std::string text = "policies:\n  - &p {id: p, client_certificate_mode: OPTIONAL, exclusion_paths: [";
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&text, i ? ", " : "", "/p", i);
  text += "]}\n";
  for (int i = 0; i < 999; ++i) text += "  - *p\n";
  testing::RegistryBuilder b;
  b.Policy("p.yaml", text);
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("too many values"));
  EXPECT_LE(result.errors.size(), kMaxLoadErrors + 1);
}

TEST(LoadBoundsTest, AFewAliasesAreFine) {
  testing::RegistryBuilder b;
  b.File("root.pem", testing::CertFactory::SelfSigned({.cn = "Root", .is_ca = true}).pem());
  b.Policy("p.yaml", "id: &id p\ndescription: *id\ntrust: {anchor_files: [root.pem]}\nexclusion_paths: &e [/a, /b]\n");
  EXPECT_TRUE(b.Load().ok()) << b.Load().ErrorSummary();
}

TEST(LoadBoundsTest, FilesOverTheSizeLimitAreRefused) {
  testing::RegistryBuilder b;
  b.Policy("p.yaml", "id: p\nclient_certificate_mode: OPTIONAL\ndescription: \"" +
                         std::string(kMaxPolicyFileBytes, 'd') + "\"\n");
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("larger than 1048576 bytes"));
}

TEST(LoadBoundsTest, TheErrorReportIsBounded) {
  std::string text = "policies:\n";
  for (int i = 0; i < 500; ++i)
    absl::StrAppend(&text, "  - {id: p", i, ", no_such_field_", std::string(1000, 'x'), ": 1}\n");
  testing::RegistryBuilder b;
  b.Policy("p.yaml", text);
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors.size(), kMaxLoadErrors + 1);
  EXPECT_THAT(result.errors.back().message, HasSubstr("further errors not shown"));
  for (const LoadError& e : result.errors) EXPECT_LE(e.message.size(), kMaxLoadErrorBytes + 3);
  EXPECT_LT(result.ErrorSummary().size(), 200u * 1024);
}

}  // namespace
}  // namespace certguard::policy
