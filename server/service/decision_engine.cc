#include "server/service/decision_engine.h"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/x509/openssl_ptr.h"

namespace certguard::service {
namespace {

bool AllBlank(const EvaluationInput& input) {
  for (const headers::HeaderInput& h : input.headers) {
    for (char c : h.value) {
      if (!absl::ascii_isspace(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

// When a cached verdict stops being true on its own: the evaluator's valid_until (leaf validity,
// CRL and OCSP nextUpdate). A verdict without one is not cached.
absl::Time NaturalExpiry(const v1::ValidateCertificateResponse& r) {
  return r.has_valid_until() ? absl::FromUnixSeconds(r.valid_until().seconds()) : absl::InfinitePast();
}

// SHA-256 fetched once: EVP_sha256() would make every EVP_DigestInit_ex look it up again.
const EVP_MD* Sha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

bool HashUint64(EVP_MD_CTX* ctx, uint64_t v) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
  return EVP_DigestUpdate(ctx, bytes, sizeof(bytes)) == 1;
}

// The name lower-cased, in chunks (no allocation; names are untrusted and unbounded here).
bool HashLowerCase(EVP_MD_CTX* ctx, std::string_view name) {
  char chunk[64];
  while (!name.empty()) {
    const size_t n = std::min(name.size(), sizeof(chunk));
    for (size_t i = 0; i < n; ++i) chunk[i] = absl::ascii_tolower(static_cast<unsigned char>(name[i]));
    if (EVP_DigestUpdate(ctx, chunk, n) != 1) return false;
    name.remove_prefix(n);
  }
  return true;
}

v1::ValidateCertificateResponse* EmptyResponse() {
  static v1::ValidateCertificateResponse* const empty = new v1::ValidateCertificateResponse();
  return empty;
}

}  // namespace

std::string HeaderDigest(const EvaluationInput& input) {
  thread_local x509::OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // Every field length-prefixed, so no two different inputs hash the same byte stream.
  bool ok = ctx != nullptr && Sha256() != nullptr && EVP_DigestInit_ex2(ctx.get(), Sha256(), nullptr) == 1 &&
            HashUint64(ctx.get(), input.headers.size());
  for (const headers::HeaderInput& h : input.headers) {
    ok = ok && HashUint64(ctx.get(), h.name.size()) && HashLowerCase(ctx.get(), h.name) &&
         HashUint64(ctx.get(), static_cast<uint64_t>(h.format)) && HashUint64(ctx.get(), h.value.size()) &&
         EVP_DigestUpdate(ctx.get(), h.value.data(), h.value.size()) == 1;
  }
  const char https = input.is_https.has_value() ? (*input.is_https ? 'S' : 'P') : 'U';
  ok = ok && EVP_DigestUpdate(ctx.get(), &https, 1) == 1 && EVP_DigestFinal_ex(ctx.get(), digest, &length) == 1;
  if (!ok) return {};
  return std::string(reinterpret_cast<const char*>(digest), length);
}

DecisionEngine::DecisionEngine(const policy::RegistryStore* store, Clock clock,
                               VerdictCacheOptions cache_options, size_t certificate_cache_entries)
    : store_(store), clock_(std::move(clock)), cache_(cache_options), certificates_(certificate_cache_entries) {}

absl::StatusOr<Decision> DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input) {
  policy::RegistryPtr registry = store_->Current();  // held until the decision is made
  absl::StatusOr<const policy::CompiledPolicy*> found = LookupPolicy(registry.get(), policy_id);
  if (!found.ok()) return found.status();
  const policy::CompiledPolicy* policy = *found;
  const absl::Time now = clock_();
  const bool cacheable = cache_.enabled() && !IsExcludedPath(*policy, input.path) &&
                         !(policy->require_https && input.is_https.has_value() && !*input.is_https) &&
                         !AllBlank(input);
  std::string key;
  if (cacheable) {
    const std::string digest = HeaderDigest(input);
    if (!digest.empty()) {
      key = VerdictCache::Key(registry->revision(), policy->id, digest);
      if (VerdictCache::Verdict hit = cache_.Lookup(key, now)) {
        // Views into the shared entry: nothing is copied.
        return Decision{std::shared_ptr<const v1::ValidateCertificateResponse>(hit, &hit->response),
                        std::shared_ptr<const std::string>(hit, &hit->wire)};
      }
    }
  }
  auto response = std::make_shared<v1::ValidateCertificateResponse>();
  response->set_revision(registry->revision());
  Evaluate(*policy, input, now, response.get(), &certificates_);
  if (!key.empty()) {
    cache_.Insert(key, VerdictCache::MakeVerdict(*response), now, NaturalExpiry(*response));
  }
  return Decision{std::move(response), nullptr};
}

absl::StatusOr<Decision> DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input,
                                                const CallInfo& call) {
  const auto started = std::chrono::steady_clock::now();
  const absl::Time start_time = absl::Now();
  const absl::Time deadline = std::min(call.deadline, start_time + max_call_duration_);
  absl::Status status;
  Decision decision;
  if (start_time >= deadline) {
    status = absl::DeadlineExceededError("the call's deadline passed before it was handled");
  } else {
    absl::StatusOr<Decision> decided = Decide(policy_id, input);
    if (decided.ok()) {
      decision = *std::move(decided);
      if (absl::Now() > deadline) {
        status = absl::DeadlineExceededError("the decision was not made within the call's deadline");
      }
    } else {
      status = decided.status();
    }
  }
  if (observer_ != nullptr) {
    const absl::Duration latency = absl::FromChrono(std::chrono::steady_clock::now() - started);
    const v1::ValidateCertificateResponse* response =
        decision.response != nullptr ? decision.response.get() : EmptyResponse();
    observer_->OnDecision(DecisionEvent{&call, policy_id, &status, response, latency});
  }
  if (!status.ok()) return status;
  return decision;
}

absl::Status DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input,
                                    v1::ValidateCertificateResponse* response) {
  absl::StatusOr<Decision> decision = Decide(policy_id, input);
  if (!decision.ok()) return decision.status();
  response->CopyFrom(*decision->response);
  return absl::OkStatus();
}

absl::Status DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input,
                                    v1::ValidateCertificateResponse* response, const CallInfo& call) {
  absl::StatusOr<Decision> decision = Decide(policy_id, input, call);
  if (!decision.ok()) return decision.status();
  response->CopyFrom(*decision->response);
  return absl::OkStatus();
}

}  // namespace certguard::service
