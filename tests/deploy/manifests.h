// Test helpers for the deployment files: loading YAML from the source tree, finding Kubernetes
// objects by kind and name, reading a container's --flag=value arguments, and parsing
// deploy/Dockerfile into instructions grouped by build stage.
#ifndef CERTGUARD_TESTS_DEPLOY_MANIFESTS_H_
#define CERTGUARD_TESTS_DEPLOY_MANIFESTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace certguard::deploy_testing {

// Absolute path of a file in the source tree.
std::string SourcePath(const std::string& relative);
// Whole file, or nullopt when unreadable.
std::optional<std::string> ReadSource(const std::string& relative);
// Every document of a (multi-document) YAML file; a parse error is a test failure.
std::vector<YAML::Node> LoadAllDocs(const std::string& relative);

// A Kubernetes object from a manifest file.
struct Object {
  std::string file;
  std::string kind;
  std::string name;
  YAML::Node node;
};

// The objects of every file listed under `resources:` in `dir`/kustomization.yaml.
std::vector<Object> LoadKustomization(const std::string& dir);
// The one object of `kind` (and `name` unless empty); a missing or ambiguous one is a failure.
YAML::Node Find(const std::vector<Object>& objects, const std::string& kind, const std::string& name = "");

// "--name=value" arguments of a container (later ones win, as with absl flags).
std::map<std::string, std::string> Flags(const YAML::Node& args);
// The port of "host:port"; -1 when there is none.
int PortOf(const std::string& host_port);
std::string HostOf(const std::string& host_port);

// Does `selector` (matchLabels-style map) select pods labelled `labels`? Empty never selects.
bool Selects(const YAML::Node& selector, const YAML::Node& labels);

// One Dockerfile instruction: keyword upper-cased, arguments with continuations joined.
struct Instruction {
  std::string keyword;
  std::string args;
  int stage = -1;  // -1: before the first FROM
};
std::vector<Instruction> ParseDockerfile(const std::string& text);

}  // namespace certguard::deploy_testing

#endif  // CERTGUARD_TESTS_DEPLOY_MANIFESTS_H_
