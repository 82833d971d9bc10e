#include "server/service/decision_engine.h"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"

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

}  // namespace

std::string HeaderDigest(const EvaluationInput& input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  for (const headers::HeaderInput& h : input.headers) {
    const std::string name = absl::AsciiStrToLower(absl::string_view(h.name.data(), h.name.size()));
    const std::string meta = absl::StrCat(name.size(), ":", name, ":", static_cast<int>(h.format), ":", h.value.size(), ":");
    ok = ok && EVP_DigestUpdate(ctx, meta.data(), meta.size()) == 1 &&
         EVP_DigestUpdate(ctx, h.value.data(), h.value.size()) == 1;
  }
  const char https = input.is_https.has_value() ? (*input.is_https ? 'S' : 'P') : 'U';
  ok = ok && EVP_DigestUpdate(ctx, &https, 1) == 1 && EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return {};
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

DecisionEngine::DecisionEngine(const policy::RegistryStore* store, Clock clock,
                               VerdictCacheOptions cache_options)
    : store_(store), clock_(std::move(clock)), cache_(cache_options) {}

absl::Status DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input,
                                    v1::ValidateCertificateResponse* response) {
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
        response->CopyFrom(*hit);
        response->set_from_cache(true);
        return absl::OkStatus();
      }
    }
  }
  response->set_revision(registry->revision());
  Evaluate(*policy, input, now, response);
  if (!key.empty()) {
    cache_.Insert(key, std::make_shared<const v1::ValidateCertificateResponse>(*response), now,
                  NaturalExpiry(*response));
  }
  return absl::OkStatus();
}

absl::Status DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input,
                                    v1::ValidateCertificateResponse* response, const CallInfo& call) {
  const auto started = std::chrono::steady_clock::now();
  const absl::Time start_time = absl::Now();
  const absl::Time deadline = std::min(call.deadline, start_time + max_call_duration_);
  absl::Status status;
  if (start_time >= deadline) {
    status = absl::DeadlineExceededError("the call's deadline passed before it was handled");
  } else {
    status = Decide(policy_id, input, response);
    if (status.ok() && absl::Now() > deadline) {
      status = absl::DeadlineExceededError("the decision was not made within the call's deadline");
    }
  }
  if (observer_ != nullptr) {
    const absl::Duration latency = absl::FromChrono(std::chrono::steady_clock::now() - started);
    observer_->OnDecision(DecisionEvent{&call, policy_id, &status, response, latency});
  }
  return status;
}

}  // namespace certguard::service
