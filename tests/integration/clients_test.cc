// Integration: the example clients in other languages (client/python/validate.py with Debian's
// python3-grpcio, client/node/validate.js with @grpc/grpc-js) call the real certguard-server and
// print the same decision, reason, message, policy, revision and identity as the C++ CLI
// (`certguard validate --json`), with the same exit status, for a table of requests.
//
// The Node example's packages are installed on first use (`npm install` into client/node/
// node_modules, from client/node/package-lock.json). A missing node/npm or an unreachable npm
// registry fails the Node test with the reason; it is never skipped silently.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "tests/testing/cert_factory.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CliBinary;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::RunCommand;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using ::certguard::testing::Y;

std::string Source(const std::string& relative) { return std::string(CERTGUARD_SOURCE_DIR) + "/" + relative; }

struct Pki {
  TestCert root = CertFactory::SelfSigned({.cn = "Clients Root",
                                           .subject_extra = {{"O", "Contoso"}},
                                           .not_before = Y(1970),
                                           .not_after = Y(9999),
                                           .is_ca = true});
  TestCert intermediate = CertFactory::Issue({.cn = "Clients Issuing CA",
                                              .subject_extra = {{"O", "Contoso"}},
                                              .not_before = Y(1970),
                                              .not_after = Y(9999),
                                              .is_ca = true},
                                             root);
  TestCert leaf = CertFactory::Issue({.cn = "app.contoso.com",
                                      .subject_extra = {{"O", "Contoso"}},
                                      .not_before = Y(1970),
                                      .not_after = Y(9999),
                                      .eku = {"clientAuth"},
                                      .san_dns = {"app.contoso.com"},
                                      .san_uri = {"spiffe://contoso.com/ns/prod/sa/app"}},
                                     intermediate);
  TestCert expired = CertFactory::Issue(
      {.cn = "old.contoso.com", .not_before = Y(1971), .not_after = Y(1980), .eku = {"clientAuth"}}, intermediate);
  TestCert stranger = CertFactory::SelfSigned(
      {.cn = "app.contoso.com", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}});
  std::string dir = MakeTempDir("clients-registry");
  std::string files = MakeTempDir("clients-files");

  Pki() {
    WriteFile(dir + "/ca/root.pem", root.pem());
    WriteFile(dir + "/ca/intermediate.pem", intermediate.pem());
    WriteFile(dir + "/policies.yaml",
              absl::StrCat("policies:\n"
                           "  - id: seed\n"
                           "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                           "    identity:\n"
                           "      thumbprints: [",
                           leaf.sha1_hex(),
                           "]\n"
                           "      subject: {cn: [app.contoso.com]}\n"
                           "  - id: open\n"
                           "    client_certificate_mode: OPTIONAL\n"
                           "    exclusion_paths: /health\n"
                           "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"));
    WriteFile(files + "/leaf.x-arr-clientcert", leaf.base64_der() + "\n");
    WriteFile(files + "/chain.pem", leaf.pem() + intermediate.pem());
  }
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

// One request, as flags common to the CLI and both examples (everything but --target).
struct Case {
  std::string name;
  std::vector<std::string> flags;
};

std::vector<Case> Cases() {
  const Pki& p = P();
  return {
      {"header file, X-ARR-ClientCert",
       {"--policy", "seed", "--header_name", "X-ARR-ClientCert", "--header_file", p.files + "/leaf.x-arr-clientcert"}},
      {"PEM chain file", {"--policy", "seed", "--cert_file", p.files + "/chain.pem"}},
      {"expired", {"--policy", "seed", "--header_value", p.expired.base64_der()}},
      {"other CA", {"--policy", "seed", "--header_value", p.stranger.base64_der()}},
      {"garbage", {"--policy", "seed", "--header_value", "%%%garbage"}},
      {"explicit format", {"--policy", "seed", "--format", "pem_body", "--header_value", p.leaf.pem_body()}},
      {"wrong explicit format", {"--policy", "seed", "--format", "XFCC", "--header_value", p.leaf.base64_der()}},
      {"no certificate, required", {"--policy", "seed"}},
      {"no certificate, optional", {"--policy", "open"}},
      {"excluded path", {"--policy", "open", "--path", "/health/live", "--header_value", "junk"}},
      {"plain HTTP", {"--policy", "open", "--http", "--header_value", p.leaf.base64_der()}},
      {"unknown policy", {"--policy", "nope", "--header_value", p.leaf.base64_der()}},
  };
}

// The fields every client prints, from the CLI's protobuf JSON (default values are omitted there).
nlohmann::json Expected(const nlohmann::json& cli) {
  auto str = [](const nlohmann::json& j, const char* key, const char* fallback = "") {
    return j.contains(key) ? j[key].get<std::string>() : std::string(fallback);
  };
  const nlohmann::json id = cli.value("identity", nlohmann::json::object());
  return {
      {"decision", str(cli, "decision")},
      {"reason", str(cli, "reason")},
      {"message", str(cli, "message")},
      {"policy_id", str(cli, "policy_id")},
      {"revision", str(cli, "revision")},
      {"format", str(cli, "format", "HEADER_FORMAT_UNSPECIFIED")},
      {"subject", str(id, "subject")},
      {"sha256_thumbprint", str(id, "sha256_thumbprint")},
      {"sha1_thumbprint", str(id, "sha1_thumbprint")},
      {"spiffe_id", str(id, "spiffe_id")},
  };
}

// The first line of a client's output (its JSON; stderr, if any, follows it).
nlohmann::json FirstLineJson(const std::string& out) {
  return nlohmann::json::parse(out.substr(0, out.find('\n')), nullptr, /*allow_exceptions=*/false);
}

class ClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
    delete server_;
  }

  // Runs `client` (argv prefix) on every case and compares it with the C++ CLI.
  void ExpectSameAnswersAsCli(const std::vector<std::string>& client) {
    int allowed = 0, denied = 0, errors = 0;
    for (const Case& c : Cases()) {
      SCOPED_TRACE(c.name);
      std::vector<std::string> cli = {CliBinary(), "validate", "--target", server_->address(), "--json"};
      cli.insert(cli.end(), c.flags.begin(), c.flags.end());
      std::string cli_out;
      const int cli_rc = RunCommand(cli, &cli_out);
      ASSERT_TRUE(cli_rc == 0 || cli_rc == 1 || cli_rc == 2) << cli_out;

      std::vector<std::string> argv = client;
      argv.insert(argv.end(), {"--target", server_->address()});
      argv.insert(argv.end(), c.flags.begin(), c.flags.end());
      std::string out;
      const int rc = RunCommand(argv, &out, 120);
      EXPECT_EQ(rc, cli_rc) << absl::StrJoin(argv, " ") << "\n" << out << "\nCLI:\n" << cli_out;
      const nlohmann::json got = FirstLineJson(out);
      ASSERT_TRUE(got.is_object()) << "not JSON: " << out;

      if (cli_rc == 2) {  // an RPC error: the CLI names the numeric code, the examples its name
        ++errors;
        EXPECT_THAT(cli_out, ::testing::HasSubstr("RPC failed: 5 "));
        EXPECT_EQ(got.value("rpc_error", ""), "NOT_FOUND") << out;
        continue;
      }
      if (cli_rc == 0) {
        ++allowed;
      } else {
        ++denied;
      }
      const nlohmann::json want = Expected(nlohmann::json::parse(cli_out));
      EXPECT_EQ(got, want) << "client: " << got.dump(1) << "\nCLI: " << want.dump(1);
    }
    // The table covers both decisions and an RPC error.
    EXPECT_GE(allowed, 3);
    EXPECT_GE(denied, 5);
    EXPECT_EQ(errors, 1);
  }

  static ServerProcess* server_;
};

ServerProcess* ClientsTest::server_ = nullptr;

TEST_F(ClientsTest, TheTableCoversIdentityFields) {
  // The identity the clients must reproduce is really there (SPIFFE ID, thumbprints, subject).
  std::string out;
  ASSERT_EQ(RunCommand({CliBinary(), "validate", "--target", server_->address(), "--json", "--policy", "seed",
                        "--cert_file", P().files + "/chain.pem"},
                       &out),
            0)
      << out;
  const nlohmann::json want = Expected(nlohmann::json::parse(out));
  EXPECT_EQ(want["sha256_thumbprint"], P().leaf.sha256_hex());
  EXPECT_EQ(want["sha1_thumbprint"], P().leaf.sha1_hex());
  EXPECT_EQ(want["spiffe_id"], "spiffe://contoso.com/ns/prod/sa/app");
  EXPECT_EQ(want["format"], "PEM");
}

TEST_F(ClientsTest, PythonExampleGetsTheSameAnswersAsTheCli) {
  ASSERT_EQ(access("/usr/bin/python3", X_OK), 0)
      << "/usr/bin/python3 is missing: scripts/install-deps.sh installs python3 and python3-grpcio";
  std::string out;
  ASSERT_EQ(RunCommand({"/usr/bin/python3", "-c", "import grpc, google.protobuf"}, &out), 0)
      << "Debian's python3-grpcio / python3-protobuf are missing (scripts/install-deps.sh): " << out;
  ExpectSameAnswersAsCli({"/usr/bin/python3", Source("client/python/validate.py")});
}

// Makes client/node/node_modules hold @grpc/grpc-js and @grpc/proto-loader; on failure records
// why (no node/npm, npm registry unreachable) as a test failure.
void EnsureNodeModules() {
  std::string out;
  ASSERT_EQ(RunCommand({"/usr/bin/env", "node", "--version"}, &out), 0)
      << "node is not on PATH: scripts/install-deps.sh installs Node.js (Debian's nodejs, npm). " << out;
  const std::string dir = Source("client/node");
  auto installed = [&] {
    return std::filesystem::exists(dir + "/node_modules/@grpc/grpc-js/package.json") &&
           std::filesystem::exists(dir + "/node_modules/@grpc/proto-loader/package.json");
  };
  if (installed()) return;
  std::cerr << "clients_test: installing the Node example's packages: npm install --prefix " << dir << std::endl;
  // flock: concurrent test processes (ctest -j) install once.
  const int rc = RunCommand({"/usr/bin/flock", "/tmp/certguard-client-node-npm.lock", "npm", "install", "--prefix", dir,
                             "--no-audit", "--no-fund"},
                            &out, 600);
  ASSERT_EQ(rc, 0) << "`npm install` in client/node failed (exit " << rc
                   << "); is npm installed and the npm registry reachable?\n"
                   << out;
  ASSERT_TRUE(installed()) << "npm install did not produce node_modules/@grpc/*:\n" << out;
}

TEST_F(ClientsTest, NodeExampleGetsTheSameAnswersAsTheCli) {
  EnsureNodeModules();
  if (HasFatalFailure()) return;
  ExpectSameAnswersAsCli({"/usr/bin/env", "node", Source("client/node/validate.js")});
}

}  // namespace
}  // namespace certguard
