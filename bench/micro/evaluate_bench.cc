// The decision core: core::Evaluate (decode + parse + verify + rules + response) for the
// `bench` (RSA-2048, chain of 3) and `bench-ec` policies, a verdict-cache hit through
// DecisionEngine::Decide, and policy::LoadRegistry of 10, 1,000 and 10,000 policies.
#include <string>

#include <benchmark/benchmark.h>

#include "absl/time/clock.h"
#include "bench/micro/fixtures.h"
#include "certguard/v1/validator.pb.h"
#include "server/core/decision_engine.h"
#include "server/core/evaluator.h"
#include "server/policy/registry_loader.h"
#include "server/policy/registry_store.h"

namespace certguard::bench {
namespace {

policy::RegistryPtr Load(int policies) {
  policy::LoadResult r = policy::LoadRegistry(RegistryDir(policies), absl::Now());
  return r.ok() ? r.registry : nullptr;
}

const char* PolicyFor(KeyType t) { return t == KeyType::kRsa2048 ? "bench" : "bench-ec"; }

void BM_Evaluate(benchmark::State& state) {
  const KeyType type = state.range(0) == 0 ? KeyType::kRsa2048 : KeyType::kEcP256;
  policy::RegistryPtr registry = Load(10);
  if (registry == nullptr) {
    state.SkipWithError("registry load failed");
    return;
  }
  auto policy = core::LookupPolicy(registry.get(), PolicyFor(type));
  if (!policy.ok()) {
    state.SkipWithError("policy not found");
    return;
  }
  const std::string value = GetPki(type).leaf3.Base64Der();
  core::EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", value, headers::Format::kUnspecified});
  input.path = "/";
  const absl::Time now = absl::Now();
  v1::ValidateCertificateResponse response;
  core::Evaluate(**policy, input, now, &response);
  if (response.decision() != v1::ALLOW) {
    state.SkipWithError(("not ALLOW: " + response.message()).c_str());
    return;
  }
  for (auto _ : state) {
    v1::ValidateCertificateResponse r;
    core::Evaluate(**policy, input, now, &r);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::string(KeyTypeName(type)) + " chain3");
}
BENCHMARK(BM_Evaluate)->Arg(0)->Arg(1)->ArgName("key");

// Decide() on a certificate already in the verdict cache (building the key, the cache lookup;
// the shared verdict is not copied, as in the server). Arg: policies in the registry.
void BM_DecideCacheHit(benchmark::State& state) {
  policy::RegistryStore store;
  store.Publish(Load(static_cast<int>(state.range(0))));
  core::DecisionEngine engine(&store, core::SystemClock(), core::VerdictCacheOptions{});
  const std::string value = GetPki(KeyType::kRsa2048).leaf3.Base64Der();
  core::EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", value, headers::Format::kUnspecified});
  input.path = "/";
  absl::StatusOr<core::Decision> first = core::DecideAndWait(engine, "bench", input);
  if (!first.ok() || first->response->decision() != v1::ALLOW) {
    state.SkipWithError("first Decide did not ALLOW");
    return;
  }
  const core::CallInfo call;
  for (auto _ : state) {
    engine.Decide("bench", input, call, [](absl::StatusOr<core::Decision> d) { benchmark::DoNotOptimize(d); });
  }
  state.counters["hits"] = static_cast<double>(engine.cache().hits());
}
BENCHMARK(BM_DecideCacheHit)->Arg(10)->Arg(10000)->ArgName("policies");

// Decide() with the cache off (every call a miss): Evaluate plus the engine's overhead.
void BM_DecideNoCache(benchmark::State& state) {
  policy::RegistryStore store;
  store.Publish(Load(static_cast<int>(state.range(0))));
  core::VerdictCacheOptions off;
  off.max_entries = 0;
  core::DecisionEngine engine(&store, core::SystemClock(), off);
  const std::string value = GetPki(KeyType::kRsa2048).leaf3.Base64Der();
  core::EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", value, headers::Format::kUnspecified});
  input.path = "/";
  const core::CallInfo call;
  for (auto _ : state) {
    engine.Decide("bench", input, call, [](absl::StatusOr<core::Decision> d) { benchmark::DoNotOptimize(d); });
  }
}
BENCHMARK(BM_DecideNoCache)->Arg(10)->Arg(10000)->ArgName("policies");

// Decide() with the verdict cache off but the parsed-certificate cache on (the server's
// defaults for a `--cache_max_entries=0` server): the leaf is parsed once, then every call
// verifies the chain and runs the rules again. Arg: key type (0 RSA-2048, 1 P-256).
void BM_DecideParseCacheHit(benchmark::State& state) {
  const KeyType type = state.range(0) == 0 ? KeyType::kRsa2048 : KeyType::kEcP256;
  policy::RegistryStore store;
  store.Publish(Load(10));
  core::VerdictCacheOptions off;
  off.max_entries = 0;
  core::DecisionEngine engine(&store, core::SystemClock(), off, /*certificate_cache_entries=*/2048);
  const std::string value = GetPki(type).leaf3.Base64Der();
  core::EvaluationInput input;
  input.headers.push_back({"X-ARR-ClientCert", value, headers::Format::kUnspecified});
  input.path = "/";
  for (auto _ : state) {
    absl::StatusOr<core::Decision> d = core::DecideAndWait(engine, PolicyFor(type), input);
    if (!d.ok() || (*d).response->decision() != v1::ALLOW) {
      state.SkipWithError("not ALLOW");
      break;
    }
  }
  state.SetLabel(std::string(KeyTypeName(type)) + " chain3");
}
BENCHMARK(BM_DecideParseCacheHit)->Arg(0)->Arg(1)->ArgName("key");

void BM_LoadRegistry(benchmark::State& state) {
  const std::string& dir = RegistryDir(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    policy::LoadResult r = policy::LoadRegistry(dir, absl::Now());
    if (!r.ok()) {
      state.SkipWithError(r.ErrorSummary().c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LoadRegistry)->Arg(10)->Arg(1000)->Arg(10000)->ArgName("policies")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace certguard::bench
