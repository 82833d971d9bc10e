#include "server/runtime/config_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"

namespace certguard::runtime {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

TEST(ConfigFileTest, ScalarsAndListsInFileOrder) {
  auto entries = ParseConfigText(
      "# production\n"
      "policy_dir: /etc/certguard/policies\n"
      "listen: [0.0.0.0:50051, unix:/run/certguard.sock]\n"
      "shutdown_grace: 15s\n"
      "reflection: false\n"
      "decision_log_sample_rate: 0.25\n"
      "metrics_listen: ''\n",
      "c.yaml");
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(*entries, ::testing::ElementsAre(Pair("policy_dir", "/etc/certguard/policies"),
                                               Pair("listen", "0.0.0.0:50051,unix:/run/certguard.sock"),
                                               Pair("shutdown_grace", "15s"), Pair("reflection", "false"),
                                               Pair("decision_log_sample_rate", "0.25"), Pair("metrics_listen", "")));
}

TEST(ConfigFileTest, EmptyFileIsNoEntries) {
  auto entries = ParseConfigText("", "c.yaml");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(ConfigFileTest, MalformedInputsAreErrorsNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"listen: [unclosed\n", "c.yaml:"},
      {"- a\n- b\n", "expected a mapping"},
      {"a: 1\nlisten:\n  nested: x\n", "c.yaml:2"},
      {"listen: [[a]]\n", "list items must be scalars"},
      {"a: 1\na: 2\n", "given twice"},
      {"a:\n", "needs a value"},
  };
  for (const auto& [text, message] : cases) {
    auto entries = ParseConfigText(text, "c.yaml");
    ASSERT_FALSE(entries.ok()) << text;
    EXPECT_TRUE(absl::IsInvalidArgument(entries.status()));
    EXPECT_THAT(std::string(entries.status().message()), HasSubstr(message)) << text;
  }
}

TEST(ConfigFileTest, ReadsAFile) {
  const std::string path = testing::MakeTempDir("config") + "/c.yaml";
  testing::WriteFile(path, "log_level: debug\n");
  auto entries = ReadConfigFile(path);
  ASSERT_TRUE(entries.ok());
  EXPECT_THAT(*entries, ::testing::ElementsAre(Pair("log_level", "debug")));
  EXPECT_FALSE(ReadConfigFile(path + ".missing").ok());
}

}  // namespace
}  // namespace certguard::runtime
