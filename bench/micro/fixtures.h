// Shared, lazily built inputs of the microbenchmarks: one RSA-2048 and one ECDSA P-256 PKI
// (root -> intermediate -> leaf, plus a leaf issued directly by the root), and registries of
// N policies written to a temporary directory (removed at exit). Built once per process;
// read-only afterwards.
#ifndef CERTGUARD_BENCH_MICRO_FIXTURES_H_
#define CERTGUARD_BENCH_MICRO_FIXTURES_H_

#include <string>

#include "bench/common/bench_pki.h"

namespace certguard::bench {

struct Pki {
  BenchCert root;
  BenchCert intermediate;
  BenchCert leaf3;  // root -> intermediate -> leaf3
  BenchCert leaf2;  // root -> leaf2
};

const Pki& GetPki(KeyType type);

// A registry directory with `policies` policies: `bench` (RSA-2048 root, intermediate as
// intermediate_files), `bench-ec` (P-256) and fillers sharing the RSA CA files.
const std::string& RegistryDir(int policies);

}  // namespace certguard::bench

#endif  // CERTGUARD_BENCH_MICRO_FIXTURES_H_
