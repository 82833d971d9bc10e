#include "server/common/log.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace certguard::log {
namespace {

using ::testing::HasSubstr;

std::vector<nlohmann::json> Lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(LogTest, ParsesLevels) {
  Level level;
  EXPECT_TRUE(ParseLevel("DEBUG", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_TRUE(ParseLevel("warn", &level));
  EXPECT_EQ(level, Level::kWarning);
  EXPECT_TRUE(ParseLevel("error", &level));
  EXPECT_EQ(level, Level::kError);
  EXPECT_FALSE(ParseLevel("verbose", &level));
}

TEST(LogTest, FiltersBelowTheMinimumLevel) {
  SetMinLevel(Level::kWarning);
  ::testing::internal::CaptureStderr();
  Debug("d");
  Info("i");
  Warning("w", {{"k", "v"}});
  Error("e");
  const auto lines = Lines(::testing::internal::GetCapturedStderr());
  SetMinLevel(Level::kInfo);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["level"], "warning");
  EXPECT_EQ(lines[0]["msg"], "w");
  EXPECT_EQ(lines[0]["k"], "v");
  EXPECT_EQ(lines[1]["level"], "error");
  EXPECT_TRUE(lines[0].contains("ts"));
  EXPECT_FALSE(Enabled(Level::kDebug));
}

TEST(LogTest, HostileValuesCannotForgeLines) {
  SetMinLevel(Level::kInfo);
  ::testing::internal::CaptureStderr();
  Info("m\n{\"level\":\"error\"}", {{"subject", "CN=\"x\"\r\n\xff\xfe"}, {"big", std::string(5000, 'a')}});
  const std::string text = ::testing::internal::GetCapturedStderr();
  const auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 1u) << text;
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_THAT(lines[0]["subject"].get<std::string>(), HasSubstr("CN=\"x\"\r\n"));
  EXPECT_EQ(lines[0]["big"].get<std::string>().size(), kMaxValueBytes + 3);
}

}  // namespace
}  // namespace certguard::log
