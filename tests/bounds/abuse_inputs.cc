// certguard-abuse-inputs OUT: writes what `make abuse` (scripts/abuse.py) needs, all generated
// here (no private key leaves this process):
//   OUT/policies/ca/{root,intermediate}.pem, OUT/policies/legit.yaml   policy "legit"
//   OUT/legit.header              the legitimate client's X-ARR-ClientCert value
//   OUT/corpus-exponent/NNNNN     a valid leaf + 9 certificates with 3072-bit keys and 3071-bit
//                                 exponents (PEM, URL-encoded): the CPU attack, 1,000 distinct
//   OUT/corpus-sans/NNNNN         distinct untrusted leaves with 600 SANs: the cache attack, 2,000
//   OUT/big.header                a 300,000-byte header value: ext_authz over the size limit
// Certificates are valid 1970-9999, so no clock matters.
#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_format.h"
#include "tests/hostile/hostile_inputs.h"
#include "tests/testing/cert_factory.h"

namespace {

using certguard::testing::CertFactory;
using certguard::testing::CertSpec;
using certguard::testing::TestCert;
using certguard::testing::WriteFile;

absl::Time Year(int y) { return absl::FromCivil(absl::CivilSecond(y, 1, 1, 0, 0, 0), absl::UTCTimeZone()); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string out = argv[1];
  namespace fs = std::filesystem;
  for (const char* sub : {"policies/ca", "corpus-exponent", "corpus-sans"}) fs::create_directories(fs::path(out) / sub);

  const TestCert root =
      CertFactory::SelfSigned({.cn = "Abuse Root", .not_before = Year(1970), .not_after = Year(9999), .is_ca = true});
  const TestCert intermediate = CertFactory::Issue(
      {.cn = "Abuse Intermediate", .not_before = Year(1970), .not_after = Year(9999), .is_ca = true}, root);
  const TestCert leaf = CertFactory::Issue(
      {.cn = "legit.example", .not_before = Year(1970), .not_after = Year(9999), .eku = {"clientAuth"}}, intermediate);
  WriteFile(out + "/policies/ca/root.pem", root.pem());
  WriteFile(out + "/policies/ca/intermediate.pem", intermediate.pem());
  WriteFile(out + "/policies/legit.yaml",
            "id: legit\ntrust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n");
  WriteFile(out + "/legit.header", leaf.base64_der());

  for (int i = 0; i < 1000; ++i) {
    std::string chain = leaf.pem();
    for (int j = 0; j < 9; ++j)
      chain += certguard::hostile::Pem(certguard::hostile::CertWithRsaModulusBits(3072, intermediate, 3071));
    WriteFile(absl::StrFormat("%s/corpus-exponent/%05d", out, i), certguard::hostile::PercentEncode(chain));
  }
  const TestCert stranger =
      CertFactory::SelfSigned({.cn = "Stranger CA", .not_before = Year(1970), .not_after = Year(9999), .is_ca = true});
  for (int i = 0; i < 2000; ++i) {
    CertSpec spec{.cn = absl::StrFormat("stranger-%05d", i),
                  .not_before = Year(1970),
                  .not_after = Year(9999),
                  .eku = {"clientAuth"}};
    for (int j = 0; j < 600; ++j) spec.san_dns.push_back(absl::StrFormat("h%d.stranger.example", j));
    WriteFile(absl::StrFormat("%s/corpus-sans/%05d", out, i), CertFactory::Issue(spec, stranger).base64_der());
  }
  WriteFile(out + "/big.header", std::string(300000, 'A'));
  std::printf("abuse inputs written to %s\n", out.c_str());
  return 0;
}
