// The docs against the code: every flag of certguard-server (as its own --helpfull states it)
// is in a flag table of docs/*.md (a table headed "| flag | default |") with the same default,
// and every flag such a table names exists.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::RunCommand;
using ::certguard::testing::ServerBinary;

// Flag name -> default, from the main.cc section of --helpfull ("--name (help); default: value;").
std::map<std::string, std::string> ServerFlags() {
  std::string out;
  RunCommand({ServerBinary(), "--helpfull"}, &out);
  const size_t start = out.find("server/main.cc:");
  EXPECT_NE(start, std::string::npos) << out;
  std::string section = out.substr(start);
  if (const size_t next = section.find("Flags from", 20); next != std::string::npos) section.resize(next);
  std::string flat;
  for (absl::string_view line : absl::StrSplit(section, '\n')) {
    flat += std::string(absl::StripAsciiWhitespace(line)) + " ";
  }
  std::map<std::string, std::string> flags;
  const std::regex entry(R"(--([a-z_]+) \(.*?\); default: (.*?);)");
  for (auto it = std::sregex_iterator(flat.begin(), flat.end(), entry); it != std::sregex_iterator(); ++it) {
    std::string value = (*it)[2];
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    flags[(*it)[1]] = value;
  }
  return flags;
}

// A default as a docs table writes it -> as --helpfull prints it.
std::string Normalize(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '`'), text.end());
  text = std::string(absl::StripAsciiWhitespace(text));
  if (text == "(none)" || text == "(required)" || text == "empty") return "";
  return text;
}

struct DocRow {
  std::string file;
  std::vector<std::string> flags;
  std::vector<std::string> defaults;  // one per flag when the cell lists them with " / "
};

std::vector<DocRow> DocFlagRows() {
  std::vector<DocRow> rows;
  const std::regex flag(R"(`--([a-z_]+)`)");
  for (const auto& entry : std::filesystem::directory_iterator(CERTGUARD_SOURCE_DIR "/docs")) {
    std::ifstream in(entry.path());
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bool in_flag_table = false;  // inside a table whose header is "| flag | default | ..."
    for (absl::string_view line : absl::StrSplit(doc, '\n')) {
      if (!absl::StartsWith(line, "|")) {
        in_flag_table = false;
        continue;
      }
      if (absl::StartsWith(line, "| flag | default |")) in_flag_table = true;
      if (!in_flag_table || !absl::ConsumePrefix(&line, "| `--")) continue;
      const std::vector<std::string> cells = absl::StrSplit(line, " | ");
      if (cells.size() < 3) continue;
      DocRow row{entry.path().filename().string(), {}, {}};
      const std::string names = "`--" + cells[0];
      for (auto it = std::sregex_iterator(names.begin(), names.end(), flag); it != std::sregex_iterator(); ++it) {
        row.flags.push_back((*it)[1]);
      }
      for (absl::string_view d : absl::StrSplit(cells[1], " / ")) row.defaults.push_back(Normalize(std::string(d)));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

TEST(DocsTest, EveryServerFlagIsDocumentedWithItsDefault) {
  const std::map<std::string, std::string> flags = ServerFlags();
  ASSERT_GT(flags.size(), 30u);
  const std::vector<DocRow> rows = DocFlagRows();
  std::map<std::string, std::string> documented;
  for (const DocRow& row : rows) {
    for (size_t i = 0; i < row.flags.size(); ++i) {
      const std::string& name = row.flags[i];
      if (!flags.count(name)) continue;  // a CLI flag or an example in a client table
      documented[name] = row.file;
      // A default is compared when the cell gives one per flag in plain form.
      if (row.defaults.size() != row.flags.size()) continue;
      const std::string& want = flags.at(name);
      const std::string& got = row.defaults[i];
      if (got == want || (want == "1" && got == "1.0")) continue;
      ADD_FAILURE() << row.file << ": --" << name << " default is documented as '" << got << "', the server says '"
                    << want << "'";
    }
  }
  for (const auto& [name, value] : flags) {
    EXPECT_TRUE(documented.count(name)) << "--" << name << " (default '" << value << "') is in no flag table of docs/";
  }
}

TEST(DocsTest, TheServerFlagTableNamesNoFlagThatDoesNotExist) {
  const std::map<std::string, std::string> flags = ServerFlags();
  for (const DocRow& row : DocFlagRows()) {
    if (row.file != "operations.md" && row.file != "proxies.md") continue;
    for (const std::string& name : row.flags) {
      EXPECT_TRUE(flags.count(name)) << row.file << " documents --" << name << ", which certguard-server does not have";
    }
  }
}

}  // namespace
}  // namespace certguard
