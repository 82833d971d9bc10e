#include "server/runtime/config_file.h"

#include <fstream>
#include <iterator>
#include <set>

#include <yaml-cpp/yaml.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/file_reader.h"

namespace certguard::runtime {
namespace {

std::string Where(const std::string& name, const YAML::Node& node) {
  return absl::StrCat(name, ":", node.Mark().line + 1);
}

}  // namespace

absl::StatusOr<ConfigEntries> ParseConfigText(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(name, ":", e.mark.line + 1, ": ", e.msg));
  }
  ConfigEntries entries;
  if (!root || root.IsNull()) return entries;
  if (!root.IsMap())
    return absl::InvalidArgumentError(absl::StrCat(name, ": expected a mapping of flag names to values"));
  std::set<std::string> seen;
  for (const auto& item : root) {
    if (!item.first.IsScalar())
      return absl::InvalidArgumentError(absl::StrCat(Where(name, item.first), ": keys must be flag names"));
    const std::string key = item.first.Scalar();
    if (!seen.insert(key).second)
      return absl::InvalidArgumentError(absl::StrCat(Where(name, item.first), ": '", key, "' given twice"));
    const YAML::Node& value = item.second;
    if (value.IsScalar()) {
      entries.emplace_back(key, value.Scalar());
    } else if (value.IsSequence()) {
      std::vector<std::string> parts;
      for (const auto& element : value) {
        if (!element.IsScalar())
          return absl::InvalidArgumentError(
              absl::StrCat(Where(name, element), ": '", key, "': list items must be scalars"));
        parts.push_back(element.Scalar());
      }
      entries.emplace_back(key, absl::StrJoin(parts, ","));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(name, item.first), ": '", key, "' needs a value (scalar or list)"));
    }
  }
  return entries;
}

absl::StatusOr<ConfigEntries> ReadConfigFile(const std::string& path) {
  absl::StatusOr<std::string> text = common::ReadFile(path);
  if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat("cannot read config file ", path));
  return ParseConfigText(*text, path);
}

}  // namespace certguard::runtime
