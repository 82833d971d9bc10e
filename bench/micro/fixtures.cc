#include "bench/micro/fixtures.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace certguard::bench {
namespace {

Pki MakePki(KeyType type) {
  const std::string kt = KeyTypeName(type);
  BenchCert root = BenchCert::Root("micro " + kt + " root", GenerateKey(type));
  BenchCert inter = BenchCert::Intermediate("micro " + kt + " issuing", GenerateKey(type), root);
  KeyPtr leaf_key = GenerateKey(type);
  BenchCert leaf3 = BenchCert::Leaf("client3.bench.example", leaf_key, inter, 100);
  BenchCert leaf2 = BenchCert::Leaf("client2.bench.example", leaf_key, root, 101);
  return Pki{root, inter, leaf3, leaf2};
}

std::string Policy(const std::string& id, const std::string& kt) {
  return absl::StrCat("  - id: ", id, "\n    trust: {anchor_files: [", kt, "-root.pem], intermediate_files: [", kt,
                      "-intermediate.pem]}\n");
}

}  // namespace

const Pki& GetPki(KeyType type) {
  static const Pki* rsa = new Pki(MakePki(KeyType::kRsa2048));
  static const Pki* ec = new Pki(MakePki(KeyType::kEcP256));
  return type == KeyType::kRsa2048 ? *rsa : *ec;
}

const std::string& RegistryDir(int policies) {
  static std::mutex mu;
  static auto* dirs = new std::map<int, std::string>;
  static const bool cleanup_registered = [] {
    std::atexit([] {
      std::error_code ec;
      for (const auto& [n, d] : *dirs) std::filesystem::remove_all(d, ec);
    });
    return true;
  }();
  (void)cleanup_registered;
  std::lock_guard<std::mutex> lock(mu);
  auto it = dirs->find(policies);
  if (it != dirs->end()) return it->second;
  char tmpl[] = "/tmp/certguard-microbench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) std::abort();
  const std::string dir = tmpl;
  for (KeyType t : {KeyType::kRsa2048, KeyType::kEcP256}) {
    const std::string kt = KeyTypeName(t);
    WriteFileOrDie(dir + "/" + kt + "-root.pem", GetPki(t).root.Pem());
    WriteFileOrDie(dir + "/" + kt + "-intermediate.pem", GetPki(t).intermediate.Pem());
  }
  WriteFileOrDie(dir + "/bench.yaml", "policies:\n" + Policy("bench", "rsa2048") + Policy("bench-ec", "p256"));
  for (int start = 0; start < policies - 2; start += 100) {
    std::string text = "policies:\n";
    for (int i = start; i < std::min(policies - 2, start + 100); ++i) {
      text += Policy(absl::StrFormat("filler-%05d", i), "rsa2048");
    }
    WriteFileOrDie(absl::StrFormat("%s/fillers-%05d.yaml", dir, start / 100), text);
  }
  return dirs->emplace(policies, dir).first->second;
}

}  // namespace certguard::bench
