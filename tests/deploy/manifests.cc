#include "tests/deploy/manifests.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace certguard::deploy_testing {

std::string SourcePath(const std::string& relative) { return std::string(CERTGUARD_SOURCE_DIR) + "/" + relative; }

std::optional<std::string> ReadSource(const std::string& relative) {
  std::ifstream in(SourcePath(relative), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<YAML::Node> LoadAllDocs(const std::string& relative) {
  try {
    return YAML::LoadAllFromFile(SourcePath(relative));
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << relative << ": " << e.what();
    return {};
  }
}

std::vector<Object> LoadKustomization(const std::string& dir) {
  std::vector<Object> objects;
  std::vector<YAML::Node> k = LoadAllDocs(dir + "/kustomization.yaml");
  if (k.size() != 1 || !k[0]["resources"].IsSequence()) {
    ADD_FAILURE() << dir << "/kustomization.yaml has no resources list";
    return objects;
  }
  for (const auto& resource : k[0]["resources"]) {
    const std::string file = dir + "/" + resource.as<std::string>();
    std::vector<YAML::Node> docs = LoadAllDocs(file);
    EXPECT_FALSE(docs.empty()) << file;
    for (const auto& doc : docs) {
      if (doc.IsNull()) continue;  // an empty document between two '---'
      if (!doc.IsMap() || !doc["kind"] || !doc["metadata"]["name"] || !doc["apiVersion"]) {
        ADD_FAILURE() << file << ": a document without apiVersion, kind and metadata.name";
        continue;
      }
      objects.push_back({file, doc["kind"].as<std::string>(), doc["metadata"]["name"].as<std::string>(), doc});
    }
  }
  return objects;
}

YAML::Node Find(const std::vector<Object>& objects, const std::string& kind, const std::string& name) {
  YAML::Node found;
  int n = 0;
  for (const auto& o : objects) {
    if (o.kind == kind && (name.empty() || o.name == name)) {
      found = o.node;
      ++n;
    }
  }
  if (n != 1) ADD_FAILURE() << n << " objects of kind " << kind << (name.empty() ? "" : " named " + name);
  return found;
}

std::map<std::string, std::string> Flags(const YAML::Node& args) {
  std::map<std::string, std::string> flags;
  for (const auto& a : args) {
    const std::string arg = a.as<std::string>();
    if (!absl::StartsWith(arg, "--")) continue;
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      flags[arg.substr(2)] = "true";
    } else {
      flags[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
    }
  }
  return flags;
}

int PortOf(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(host_port.substr(colon + 1), &port)) return -1;
  return port;
}

std::string HostOf(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  return colon == std::string::npos ? host_port : host_port.substr(0, colon);
}

bool Selects(const YAML::Node& selector, const YAML::Node& labels) {
  if (!selector.IsMap() || selector.size() == 0 || !labels.IsMap()) return false;
  for (const auto& kv : selector) {
    const YAML::Node value = labels[kv.first.as<std::string>()];
    if (!value || value.as<std::string>() != kv.second.as<std::string>()) return false;
  }
  return true;
}

std::vector<Instruction> ParseDockerfile(const std::string& text) {
  std::vector<Instruction> out;
  int stage = -1;
  std::string pending;
  auto flush = [&] {
    const std::string whole = std::move(pending);
    pending.clear();
    absl::string_view line = absl::StripAsciiWhitespace(whole);
    if (line.empty()) return;
    const size_t space = line.find_first_of(" \t");
    Instruction ins;
    ins.keyword = absl::AsciiStrToUpper(line.substr(0, space));
    ins.args = space == absl::string_view::npos ? "" : std::string(absl::StripAsciiWhitespace(line.substr(space)));
    if (ins.keyword == "FROM") ++stage;
    ins.stage = stage;
    out.push_back(std::move(ins));
  };
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    absl::string_view line = absl::StripTrailingAsciiWhitespace(raw);
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#"))
      continue;  // comments (also inside continuations)
    if (absl::EndsWith(line, "\\")) {
      line.remove_suffix(1);
      pending.append(line.data(), line.size());
      pending.push_back(' ');
      continue;
    }
    pending.append(line.data(), line.size());
    flush();
  }
  flush();
  return out;
}

}  // namespace certguard::deploy_testing
