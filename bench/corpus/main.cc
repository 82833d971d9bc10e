// certguard-bench-corpus: writes the benchmark PKI, header corpora and registries.
//
//   OUT/ca/{rsa2048,p256}-{root,intermediate}.pem
//   OUT/corpus/{rsa2048,p256}/leaf-NNNNN.b64     one X-ARR-ClientCert value (base64 DER) per file
//   OUT/registry-N/                              policies `bench` (RSA-2048 hierarchy) and
//                                                `bench-ec` (P-256) + N-2 filler policies that
//                                                share the RSA CA bundle (one trust store)
// Leaves are distinct certificates (CN, serial) signed by the intermediate; they reuse a small
// pool of leaf keys, which does not change the verifier's work (it checks the issuer's signature).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/common/bench_pki.h"

ABSL_FLAG(std::string, out, "", "Output directory (required)");
ABSL_FLAG(int, leaves, 1000, "Distinct leaves per key type");
ABSL_FLAG(std::string, key_types, "rsa2048,p256", "Hierarchies to generate: rsa2048, p256");
ABSL_FLAG(std::string, registries, "10,10000", "Registry sizes (policies, at least 2) to write");
ABSL_FLAG(int, key_pool, 4, "Distinct leaf keys per key type (reused across leaves)");

namespace certguard::bench {
namespace {

constexpr int kFillersPerFile = 100;

std::string PolicyYaml(const std::string& id, const std::string& kt) {
  return absl::StrCat("  - id: ", id, "\n", "    trust: {anchor_files: [ca/", kt,
                      "-root.pem], intermediate_files: [ca/", kt, "-intermediate.pem]}\n");
}

int Main() {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::fprintf(stderr, "--out is required\n");
    return 2;
  }
  std::vector<std::string> kts;
  std::vector<std::pair<std::string, std::string>> cas;
  for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_key_types), ',', absl::SkipEmpty())) {
    KeyType type;
    if (!ParseKeyType(std::string(name), &type)) {
      std::fprintf(stderr, "--key_types: unknown %s\n", std::string(name).c_str());
      return 2;
    }
    const std::string kt = KeyTypeName(type);
    kts.push_back(kt);
    BenchCert root = BenchCert::Root(absl::StrCat("certguard bench ", kt, " root"), GenerateKey(type));
    BenchCert inter =
        BenchCert::Intermediate(absl::StrCat("certguard bench ", kt, " issuing"), GenerateKey(type), root);
    cas.emplace_back(kt + "-root.pem", root.Pem());
    cas.emplace_back(kt + "-intermediate.pem", inter.Pem());
    WriteFileOrDie(absl::StrCat(out, "/ca/", kt, "-root.pem"), root.Pem());
    WriteFileOrDie(absl::StrCat(out, "/ca/", kt, "-intermediate.pem"), inter.Pem());
    std::vector<KeyPtr> pool;
    for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_key_pool)); ++i) pool.push_back(GenerateKey(type));
    const int n = absl::GetFlag(FLAGS_leaves);
    for (int i = 0; i < n; ++i) {
      BenchCert leaf =
          BenchCert::Leaf(absl::StrFormat("client-%05d.bench.example", i), pool[static_cast<size_t>(i) % pool.size()],
                          inter, 1000 + static_cast<uint64_t>(i));
      WriteFileOrDie(absl::StrFormat("%s/corpus/%s/leaf-%05d.b64", out, kt, i), leaf.Base64Der());
      if (i == 0) {
        WriteFileOrDie(absl::StrFormat("%s/corpus/%s-leaf.pem", out, kt), leaf.Pem());
      }
    }
    std::printf("certguard-bench-corpus: %d %s leaves in %s/corpus/%s\n", n, kt.c_str(), out.c_str(), kt.c_str());
  }
  if (kts.empty()) return 2;

  for (absl::string_view size_text : absl::StrSplit(absl::GetFlag(FLAGS_registries), ',', absl::SkipEmpty())) {
    int size = 0;
    if (!absl::SimpleAtoi(size_text, &size) || size < static_cast<int>(kts.size())) {
      std::fprintf(stderr, "--registries: bad size %s\n", std::string(size_text).c_str());
      return 2;
    }
    const std::string dir = absl::StrCat(out, "/registry-", size);
    for (const auto& [name, pem] : cas) WriteFileOrDie(absl::StrCat(dir, "/ca/", name), pem);
    std::string bench = "policies:\n";
    for (const std::string& kt : kts) {
      bench += PolicyYaml(kt == "rsa2048" ? "bench" : "bench-ec", kt);
    }
    WriteFileOrDie(dir + "/bench.yaml", bench);
    const int fillers = size - static_cast<int>(kts.size());
    for (int start = 0; start < fillers; start += kFillersPerFile) {
      std::string text = "policies:\n";
      for (int i = start; i < std::min(fillers, start + kFillersPerFile); ++i) {
        text += PolicyYaml(absl::StrFormat("filler-%05d", i), kts[0]);
      }
      WriteFileOrDie(absl::StrFormat("%s/fillers-%05d.yaml", dir, start / kFillersPerFile), text);
    }
    std::printf("certguard-bench-corpus: registry of %d policies in %s\n", size, dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace certguard::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("certguard-bench-corpus --out DIR [--leaves 1000] [--registries 10,10000]");
  absl::ParseCommandLine(argc, argv);
  return certguard::bench::Main();
}
