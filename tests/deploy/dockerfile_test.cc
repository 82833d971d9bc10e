// deploy/Dockerfile checked statically (no Docker engine runs in CI): a Debian 12 build stage
// that installs with scripts/install-deps.sh and builds Release, a bookworm-slim runtime stage
// that installs only Debian 12 runtime library packages (names from an allowlist checked with
// `apt-cache policy` on Debian 12), copies only the binaries, runs as a non-root numeric user,
// exposes the ports and starts certguard-server with the flags the Kubernetes base expects.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/deploy/manifests.h"

namespace certguard {
namespace {

using ::certguard::deploy_testing::Flags;
using ::certguard::deploy_testing::Instruction;
using ::certguard::deploy_testing::LoadAllDocs;
using ::certguard::deploy_testing::ParseDockerfile;
using ::certguard::deploy_testing::PortOf;
using ::certguard::deploy_testing::ReadSource;
using ::testing::HasSubstr;
using ::testing::IsSubsetOf;

// Debian 12 (bookworm) runtime library packages, each confirmed with `apt-cache policy NAME`
// on Debian 12 (candidate versions in the comment). A name outside this list is a typo or a
// package of another release until someone checks it and adds it here.
const std::set<std::string>& Bookworm() {
  static const auto* packages = new std::set<std::string>{
      "libgrpc++1.51",    // 1.51.1-3+b1
      "libgrpc29",        // 1.51.1-3+b1 (libgrpc, libgpr, libupb, libaddress_sorting)
      "libprotobuf32",    // 3.21.12-3+deb12u1
      "libssl3",          // 3.0.x-1~deb12u*
      "libyaml-cpp0.7",   // 0.7.0+dfsg-8+b1
      "libabsl20220623",  // 20220623.1-1+deb12u2
      "libc-ares2",       // 1.18.1-3
      "libre2-9",         // 20220601+dfsg-1+b1
      "zlib1g",           // 1:1.2.13.dfsg-1
      "libstdc++6",       // 12.2.0-14+deb12u1
      "libgcc-s1",        // 12.2.0-14+deb12u1
      "libc6",            // 2.36-9+deb12u*
      "ca-certificates",
  };
  return *packages;
}

struct Dockerfile {
  std::string text = ReadSource("deploy/Dockerfile").value_or("");
  std::vector<Instruction> all = ParseDockerfile(text);

  std::vector<Instruction> Stage(int stage) const {
    std::vector<Instruction> out;
    for (const auto& i : all)
      if (i.stage == stage) out.push_back(i);
    return out;
  }
  std::vector<std::string> Froms() const {
    std::vector<std::string> out;
    for (const auto& i : all)
      if (i.keyword == "FROM") out.push_back(i.args);
    return out;
  }
  int last_stage() const { return static_cast<int>(Froms().size()) - 1; }
  // ARG NAME="a b c" (global, before the first FROM) split on whitespace.
  std::vector<std::string> GlobalArgList(const std::string& name) const {
    for (const auto& i : Stage(-1)) {
      if (i.keyword == "ARG" && absl::StartsWith(i.args, name + "=")) {
        std::string value(absl::StripPrefix(i.args, name + "="));
        value = std::string(absl::StripSuffix(absl::StripPrefix(value, "\""), "\""));
        return absl::StrSplit(value, ' ', absl::SkipWhitespace());
      }
    }
    return {};
  }
  // Exec-form arguments (a JSON array, which is YAML) of the runtime stage's last `keyword`.
  std::vector<std::string> ExecForm(const std::string& keyword) const {
    std::vector<std::string> out;
    for (const auto& i : Stage(last_stage())) {
      if (i.keyword != keyword) continue;
      out.clear();
      YAML::Node array = YAML::Load(i.args);
      EXPECT_TRUE(array.IsSequence()) << keyword << " is not in exec form: " << i.args;
      for (const auto& a : array) out.push_back(a.as<std::string>());
    }
    return out;
  }
};

const Dockerfile& D() {
  static const Dockerfile* d = new Dockerfile();
  return *d;
}

// The certguard container of the Kubernetes Deployment.
YAML::Node DeploymentContainer() {
  for (const auto& doc : LoadAllDocs("deploy/kubernetes/base/deployment.yaml")) {
    for (const auto& c : doc["spec"]["template"]["spec"]["containers"]) {
      if (c["name"].as<std::string>() == "certguard") return c;
    }
  }
  ADD_FAILURE() << "no certguard container in deploy/kubernetes/base/deployment.yaml";
  return YAML::Node();
}

TEST(DockerfileTest, TwoStagesDebian12BuildAndSlimRuntime) {
  ASSERT_FALSE(D().text.empty()) << "deploy/Dockerfile is missing";
  const std::vector<std::string> froms = D().Froms();
  ASSERT_EQ(froms.size(), 2u);
  EXPECT_EQ(froms[0], "debian:bookworm AS build");
  EXPECT_EQ(froms[1], "debian:bookworm-slim AS runtime");
}

TEST(DockerfileTest, BuildStageInstallsWithTheProjectScriptAndBuildsRelease) {
  std::string runs;
  std::set<std::string> copied;
  for (const auto& i : D().Stage(0)) {
    if (i.keyword == "RUN") runs += i.args + "\n";
    if (i.keyword == "COPY") copied.insert(i.args);
  }
  EXPECT_THAT(runs, HasSubstr("bash scripts/install-deps.sh"));
  EXPECT_TRUE(copied.count("scripts/install-deps.sh scripts/install-deps.sh"));
  EXPECT_TRUE(ReadSource("scripts/install-deps.sh").has_value());
  EXPECT_THAT(runs, HasSubstr("-DCMAKE_BUILD_TYPE=Release"));
  EXPECT_THAT(runs, HasSubstr("--target certguard-server certguard"));
  // The build fails when a binary links a library from a package not in RUNTIME_PACKAGES.
  EXPECT_THAT(runs, HasSubstr("ldd /build/server/certguard-server"));
  EXPECT_THAT(runs, HasSubstr("RUNTIME_PACKAGES"));
}

TEST(DockerfileTest, RuntimePackagesAreDebian12RuntimeLibraries) {
  const std::vector<std::string> packages = D().GlobalArgList("RUNTIME_PACKAGES");
  ASSERT_FALSE(packages.empty()) << "no global ARG RUNTIME_PACKAGES";
  EXPECT_THAT(packages, IsSubsetOf(Bookworm()));
  for (const auto& p : packages) {
    EXPECT_FALSE(absl::EndsWith(p, "-dev")) << p;
  }
  EXPECT_THAT(
      (std::vector<std::string>{"libgrpc++1.51", "libprotobuf32", "libssl3", "libyaml-cpp0.7", "libabsl20220623"}),
      IsSubsetOf(packages));
  // The runtime stage installs exactly that list, without recommends, and drops apt's lists.
  bool installs = false;
  for (const auto& i : D().Stage(D().last_stage())) {
    if (i.keyword == "ARG") {
      EXPECT_EQ(i.args, "RUNTIME_PACKAGES");
    }
    if (i.keyword != "RUN" || !absl::StrContains(i.args, "apt-get install")) continue;
    installs = true;
    EXPECT_THAT(i.args, HasSubstr("--no-install-recommends ${RUNTIME_PACKAGES}"));
    EXPECT_THAT(i.args, HasSubstr("rm -rf /var/lib/apt/lists/*"));
  }
  EXPECT_TRUE(installs);
}

TEST(DockerfileTest, RuntimeStageCopiesOnlyBinariesAndRunsAsNonRoot) {
  std::vector<std::string> users;
  std::set<std::string> copied;
  for (const auto& i : D().Stage(D().last_stage())) {
    if (i.keyword == "COPY" || i.keyword == "ADD") {
      EXPECT_TRUE(absl::StartsWith(i.args, "--from=build ")) << "runtime copies from the build context: " << i.args;
      copied.insert(i.args);
    }
    if (i.keyword == "USER") users.push_back(i.args);
  }
  EXPECT_TRUE(copied.count("--from=build /build/server/certguard-server /usr/local/bin/certguard-server"));
  ASSERT_FALSE(users.empty()) << "no USER in the runtime stage";
  // Numeric (Kubernetes' runAsNonRoot can only verify a numeric user) and not root.
  const std::string user = users.back().substr(0, users.back().find(':'));
  int uid = -1;
  ASSERT_TRUE(absl::SimpleAtoi(user, &uid)) << "USER " << users.back() << " is not numeric";
  EXPECT_EQ(uid, 65532);
  EXPECT_EQ(DeploymentContainer()["securityContext"]["runAsUser"].as<int>(), uid);
  // Nothing after USER runs as root again.
  bool after_user = false;
  for (const auto& i : D().Stage(D().last_stage())) {
    if (i.keyword == "USER") after_user = true;
    if (after_user) {
      EXPECT_NE(i.keyword, "RUN") << "RUN after USER: " << i.args;
    }
  }
}

TEST(DockerfileTest, PortsAndEntrypointMatchTheKubernetesDeployment) {
  std::set<int> exposed;
  for (const auto& i : D().Stage(D().last_stage())) {
    if (i.keyword != "EXPOSE") continue;
    for (absl::string_view p : absl::StrSplit(i.args, ' ', absl::SkipWhitespace())) {
      int port = 0;
      EXPECT_TRUE(absl::SimpleAtoi(p, &port)) << p;
      exposed.insert(port);
    }
  }
  EXPECT_EQ(exposed, (std::set<int>{50051, 9090}));
  std::set<int> container_ports;
  YAML::Node container = DeploymentContainer();
  for (const auto& p : container["ports"]) container_ports.insert(p["containerPort"].as<int>());
  EXPECT_EQ(exposed, container_ports);

  // ENTRYPOINT is the server; CMD holds the flags (a Kubernetes `args:` replaces CMD whole).
  const std::vector<std::string> entrypoint = D().ExecForm("ENTRYPOINT");
  ASSERT_EQ(entrypoint.size(), 1u);
  EXPECT_EQ(entrypoint[0], "/usr/local/bin/certguard-server");
  std::vector<std::string> cmd = D().ExecForm("CMD");
  YAML::Node cmd_node;
  for (const auto& c : cmd) cmd_node.push_back(c);
  std::map<std::string, std::string> flags = Flags(cmd_node);
  EXPECT_EQ(flags["listen"], "0.0.0.0:50051");
  EXPECT_EQ(flags["metrics_listen"], "0.0.0.0:9090");
  EXPECT_EQ(flags["policy_dir"], "/etc/certguard/policies");
  std::map<std::string, std::string> k8s = Flags(container["args"]);
  EXPECT_EQ(k8s["policy_dir"], flags["policy_dir"]);
  EXPECT_EQ(PortOf(k8s["listen"]), PortOf(flags["listen"]));
  EXPECT_EQ(PortOf(k8s["metrics_listen"]), PortOf(flags["metrics_listen"]));
  for (const auto& [name, value] : flags) EXPECT_TRUE(exposed.count(PortOf(value)) || name == "policy_dir") << name;
}

TEST(DockerfileTest, DockerignoreKeepsTheContextToSources) {
  const std::optional<std::string> ignore = ReadSource(".dockerignore");
  ASSERT_TRUE(ignore.has_value()) << ".dockerignore is missing";
  std::set<std::string> patterns;
  for (absl::string_view line : absl::StrSplit(*ignore, '\n', absl::SkipWhitespace())) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line[0] != '#') patterns.insert(std::string(line));
  }
  for (const char* p : {".git", ".demo", "/build", "/build-*", "**/node_modules"}) {
    EXPECT_TRUE(patterns.count(p)) << p;
  }
  // Nothing the build stage needs is excluded.
  for (const char* p : {"scripts", "proto", "server", "client", "CMakeLists.txt"}) {
    EXPECT_FALSE(patterns.count(p)) << p;
  }
}

}  // namespace
}  // namespace certguard
