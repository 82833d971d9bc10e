// Chain verification through x509::VerifyChain, and the floor: bare OpenSSL X509_verify_cert
// on the same chains with the same flags (X509_STRICT | PARTIAL_CHAIN, fixed time), the store
// built once and a fresh X509_STORE_CTX per call. Args: 0 = RSA-2048, 1 = ECDSA P-256;
// chain length 2 (root -> leaf) or 3 (root -> intermediate -> leaf, intermediate sent as
// untrusted material with the request).
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/x509_vfy.h>

#include "absl/time/clock.h"
#include "bench/micro/fixtures.h"
#include "server/x509/chain_verifier.h"
#include "server/x509/trust_store.h"

namespace certguard::bench {
namespace {

KeyType TypeArg(const benchmark::State& state) { return state.range(0) == 0 ? KeyType::kRsa2048 : KeyType::kEcP256; }

void Label(benchmark::State& state) {
  state.SetLabel(std::string(KeyTypeName(TypeArg(state))) + " chain" + std::to_string(state.range(1)));
}

x509::CertificatePtr Parse(const BenchCert& c) {
  auto r = x509::Certificate::FromDer(c.Der());
  if (!r.ok()) std::abort();
  return *r;
}

void BM_VerifyChain(benchmark::State& state) {
  const Pki& pki = GetPki(TypeArg(state));
  const bool three = state.range(1) == 3;
  auto store = x509::TrustStore::Create({Parse(pki.root)}, {});
  if (!store.ok()) {
    state.SkipWithError("TrustStore::Create failed");
    return;
  }
  x509::CertificatePtr leaf = Parse(three ? pki.leaf3 : pki.leaf2);
  std::vector<x509::CertificatePtr> untrusted;
  if (three) untrusted.push_back(Parse(pki.intermediate));
  x509::VerifyOptions options;
  options.now = absl::Now();
  x509::VerifyResult check = x509::VerifyChain(*leaf, untrusted, **store, options);
  if (!check.ok()) {
    state.SkipWithError(("VerifyChain: " + check.message).c_str());
    return;
  }
  for (auto _ : state) {
    x509::VerifyResult r = x509::VerifyChain(*leaf, untrusted, **store, options);
    benchmark::DoNotOptimize(r);
  }
  Label(state);
}
BENCHMARK(BM_VerifyChain)->ArgsProduct({{0, 1}, {2, 3}})->ArgNames({"key", "len"});

// Parse the leaf (x509::Certificate::FromDer: d2i + every field, hashes) + VerifyChain: the
// per-request X.509 work of a cache miss (the intermediate is pre-parsed path material, as when
// a policy lists it in intermediate_files).
void BM_ParseAndVerifyChain(benchmark::State& state) {
  const Pki& pki = GetPki(TypeArg(state));
  const bool three = state.range(1) == 3;
  auto store = x509::TrustStore::Create({Parse(pki.root)}, {});
  const std::string leaf_der = (three ? pki.leaf3 : pki.leaf2).Der();
  std::vector<x509::CertificatePtr> untrusted;
  if (three) untrusted.push_back(Parse(pki.intermediate));
  x509::VerifyOptions options;
  options.now = absl::Now();
  for (auto _ : state) {
    auto leaf = x509::Certificate::FromDer(leaf_der);
    x509::VerifyResult r = x509::VerifyChain(**leaf, untrusted, **store, options);
    if (!r.ok()) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(r);
  }
  Label(state);
}
BENCHMARK(BM_ParseAndVerifyChain)->ArgsProduct({{0, 1}, {2, 3}})->ArgNames({"key", "len"});

struct StoreDeleter {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
};

// The floor. `parse`: also d2i the leaf from DER on every call (the intermediate is
// pre-parsed, as the server's policy intermediates are).
void OpenSslFloor(benchmark::State& state, bool parse) {
  const Pki& pki = GetPki(TypeArg(state));
  const bool three = state.range(1) == 3;
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), pki.root.raw());
  const BenchCert& leaf_cert = three ? pki.leaf3 : pki.leaf2;
  const std::string leaf_der = leaf_cert.Der();
  const time_t now = time(nullptr);
  for (auto _ : state) {
    X509* leaf = leaf_cert.raw();
    X509* inter = pki.intermediate.raw();
    if (parse) {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(leaf_der.data());
      leaf = d2i_X509(nullptr, &p, static_cast<long>(leaf_der.size()));
    }
    std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
    if (three) sk_X509_push(untrusted.get(), inter);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store.get(), leaf, untrusted.get());
    X509_STORE_CTX_set_time(ctx, 0, now);
    X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN);
    const int rc = X509_verify_cert(ctx);
    X509_STORE_CTX_free(ctx);
    if (parse) X509_free(leaf);
    if (rc != 1) {
      state.SkipWithError("X509_verify_cert failed");
      break;
    }
  }
  Label(state);
}

void BM_OpenSslFloor(benchmark::State& state) { OpenSslFloor(state, false); }
BENCHMARK(BM_OpenSslFloor)->ArgsProduct({{0, 1}, {2, 3}})->ArgNames({"key", "len"});
void BM_OpenSslFloorWithParse(benchmark::State& state) { OpenSslFloor(state, true); }
BENCHMARK(BM_OpenSslFloorWithParse)->ArgsProduct({{0, 1}, {2, 3}})->ArgNames({"key", "len"});

}  // namespace
}  // namespace certguard::bench
