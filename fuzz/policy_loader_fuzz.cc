// libFuzzer target for the policy file loader: the input is the text of one YAML policy file,
// loaded with LoadPolicyText against a temporary registry directory that holds a small PKI
// (ca/root.pem, ca/intermediate.pem, ca/leaf.pem from tests/testdata/headers) so relative
// file references can resolve.
//
// Contract checked: no crash, leak or sanitizer report for any text; every error names the
// file; every compiled policy is non-null and has an id.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_contract.h"
#include "server/policy/compiled_policy.h"
#include "server/policy/load_context.h"
#include "server/policy/registry_loader.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/exceptions.h"
#include "yaml-cpp/parser.h"

namespace {

namespace fs = std::filesystem;
using ::certguard::fuzz::Check;

void Copy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::fprintf(stderr, "policy_loader_fuzz: cannot copy %s: %s\n", from.c_str(), ec.message().c_str());
    std::abort();
  }
}

// The registry directory, created once per process.
const std::string& RegistryDir() {
  static const std::string* const dir = [] {
    const fs::path base = fs::temp_directory_path() / ("certguard-policy-fuzz-" + std::to_string(getpid()));
    fs::create_directories(base / "ca");
    const fs::path samples = fs::path(CERTGUARD_SOURCE_DIR) / "tests/testdata/headers";
    Copy(samples / "root.pem", base / "ca/root.pem");
    Copy(samples / "intermediate.pem", base / "ca/intermediate.pem");
    Copy(samples / "leaf.pem", base / "ca/leaf.pem");
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(RegistryDir(), ec);
    });
    return new std::string(base.string());
  }();
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = RegistryDir() + "/fuzz.yaml";
  certguard::policy::LoadContext context;
  std::vector<certguard::policy::CompiledPolicyPtr> policies;
  std::vector<certguard::policy::LoadError> errors;
  certguard::policy::LoadPolicyText(text, file, &context, &policies, &errors);
  for (const auto& error : errors) {
    Check(!error.file.empty(), "load error without a file");
    Check(!error.ToString().empty(), "load error without text");
  }
  for (const auto& policy : policies) {
    Check(policy != nullptr, "null compiled policy");
    Check(!policy->id.empty(), "compiled policy without an id");
  }
  return 0;
}
