#include "server/core/decision_engine.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "server/core/checks/request_checks.h"

namespace certguard::core {
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

// Writes `n` as 8 little-endian bytes at `out`; returns the next position.
char* PutLength(size_t n, char* out) {
  for (int i = 0; i < 8; ++i) *out++ = static_cast<char>((static_cast<uint64_t>(n) >> (8 * i)) & 0xff);
  return out;
}

char* PutBytes(absl::string_view bytes, char* out) {
  out = PutLength(bytes.size(), out);
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

v1::ValidateCertificateResponse* EmptyResponse() {
  static v1::ValidateCertificateResponse* const empty = new v1::ValidateCertificateResponse();
  return empty;
}

}  // namespace

void WriteVerdictKey(absl::string_view revision, absl::string_view policy_id, const EvaluationInput& input,
                     std::string* key) {
  size_t size = 8 + revision.size() + 8 + policy_id.size() + 8 + 1;
  for (const headers::HeaderInput& h : input.headers) size += 24 + h.name.size() + h.value.size();
  // Every field length-prefixed, so no two different inputs encode to the same bytes.
  key->resize(size);
  char* out = PutBytes(revision, key->data());
  out = PutBytes(policy_id, out);
  out = PutLength(input.headers.size(), out);
  for (const headers::HeaderInput& h : input.headers) {
    char* name = out + 8;
    out = PutBytes(absl::string_view(h.name.data(), h.name.size()), out);
    for (; name < out; ++name) *name = absl::ascii_tolower(static_cast<unsigned char>(*name));
    out = PutLength(static_cast<size_t>(h.format), out);
    out = PutBytes(absl::string_view(h.value.data(), h.value.size()), out);
  }
  *out = input.is_https.has_value() ? (*input.is_https ? 'S' : 'P') : 'U';
}

std::string VerdictKey(absl::string_view revision, absl::string_view policy_id, const EvaluationInput& input) {
  std::string key;
  WriteVerdictKey(revision, policy_id, input, &key);
  return key;
}

DecisionEngine::DecisionEngine(const policy::RegistryStore* store, Clock clock, VerdictCacheOptions cache_options,
                               size_t certificate_cache_entries, size_t certificate_cache_bytes)
    : store_(store),
      clock_(std::move(clock)),
      cache_(cache_options),
      certificates_(certificate_cache_entries, certificate_cache_bytes) {}

std::optional<absl::StatusOr<Decision>> DecisionEngine::DecideOnce(absl::string_view policy_id,
                                                                   const EvaluationInput& input, const CallInfo& call,
                                                                   bool may_defer) {
  policy::RegistryPtr registry = store_->Current();  // held until the decision is made
  absl::StatusOr<const policy::CompiledPolicy*> found = LookupPolicy(registry.get(), policy_id);
  if (!found.ok()) return found.status();
  const policy::CompiledPolicy* policy = *found;
  if (!policy->callers.empty() && (call.peer == nullptr || !policy->callers.Allows(*call.peer))) {
    const bool certified = call.peer != nullptr && call.peer->has_certificate;
    return absl::PermissionDeniedError(
        absl::StrCat("policy '", policy->id, "' admits only the callers it lists; ",
                     certified ? absl::StrCat("this caller (", call.peer->ToString(), ") is not one of them")
                               : std::string("this connection has no verified client certificate")));
  }
  const absl::Time now = clock_();
  // Excluded paths, plain-HTTP refusals and absent certificates are decided without a certificate.
  const bool checks_certificate =
      !IsExcludedPath(*policy, input.path) && !RefusesPlainHttp(*policy, input.is_https) && !AllBlank(input);
  const bool cacheable = cache_.enabled() && checks_certificate;
  // The key is built in a per-thread buffer: a cache hit allocates nothing.
  thread_local std::string key_buffer;
  absl::string_view key;
  if (cacheable) {
    WriteVerdictKey(registry->revision(), policy->id, input, &key_buffer);
    key = key_buffer;
    if (VerdictCache::Verdict hit = cache_.Lookup(key, now)) {
      // Views into the shared entry: nothing is copied.
      return Decision{std::shared_ptr<const v1::ValidateCertificateResponse>(hit, &hit->response),
                      std::shared_ptr<const std::string>(hit, &hit->wire)};
    }
  }
  if (may_defer && checks_certificate && policy->ocsp != nullptr) return std::nullopt;  // may fetch OCSP
  auto response = std::make_shared<v1::ValidateCertificateResponse>();
  response->set_revision(registry->revision());
  Evaluate(*policy, input, now, response.get(), &certificates_);
  if (!key.empty()) {
    cache_.Insert(key, VerdictCache::MakeVerdict(*response), now, NaturalExpiry(*response));
  }
  return Decision{std::move(response), nullptr};
}

void DecisionEngine::Decide(absl::string_view policy_id, const EvaluationInput& input, const CallInfo& call,
                            DecisionCallback done) {
  DecideHere(policy_id, input, call, pool_ != nullptr, done);
}

void DecisionEngine::DecideHere(absl::string_view policy_id, const EvaluationInput& input, const CallInfo& call,
                                bool may_defer, DecisionCallback& done) {
  const auto started = std::chrono::steady_clock::now();
  // What is left of the client's deadline and the server's own limit; measured on the steady
  // clock from here on (one clock read at the end serves both the check and the latency).
  const absl::Duration budget = std::min(call.deadline - absl::Now(), max_call_duration_);
  if (budget <= absl::ZeroDuration()) {
    Finish(policy_id, input, call, started, budget,
           absl::DeadlineExceededError("the call's deadline passed before it was handled"), done);
    return;
  }
  std::optional<absl::StatusOr<Decision>> decided = DecideOnce(policy_id, input, call, may_defer);
  if (decided.has_value()) {
    Finish(policy_id, input, call, started, budget, *std::move(decided), done);
    return;
  }
  // On a revocation thread, where waiting on a responder holds no front end's thread. The
  // callback is shared so that a refused task can still be answered here.
  auto shared_done = std::make_shared<DecisionCallback>(std::move(done));
  const bool queued = pool_->TrySubmit([this, policy_id, &input, &call, shared_done] {
    DecideHere(policy_id, input, call, /*may_defer=*/false, *shared_done);
  });
  if (!queued) {
    Finish(policy_id, input, call, started, budget,
           absl::UnavailableError("too many decisions are waiting for revocation checks; retry later"), *shared_done);
  }
}

void DecisionEngine::Finish(absl::string_view policy_id, const EvaluationInput& input, const CallInfo& call,
                            std::chrono::steady_clock::time_point started, absl::Duration budget,
                            absl::StatusOr<Decision> decided, DecisionCallback& done) {
  const auto ended = std::chrono::steady_clock::now();
  absl::Status status;
  Decision decision;
  if (decided.ok()) {
    decision = *std::move(decided);
    if (absl::FromChrono(ended - started) > budget) {
      status = absl::DeadlineExceededError("the decision was not made within the call's deadline");
    }
  } else {
    status = decided.status();
  }
  if (observer_ != nullptr) {
    const v1::ValidateCertificateResponse* response =
        decision.response != nullptr ? decision.response.get() : EmptyResponse();
    observer_->OnDecision(
        DecisionEvent{&call, policy_id, &status, response, absl::FromChrono(ended - started), input.is_https});
  }
  if (!status.ok()) {
    done(status);
  } else {
    done(std::move(decision));
  }
}

absl::StatusOr<Decision> DecideAndWait(DecisionEngine& engine, absl::string_view policy_id,
                                       const EvaluationInput& input, const CallInfo& call) {
  absl::Notification finished;
  absl::StatusOr<Decision> outcome;
  engine.Decide(policy_id, input, call, [&](absl::StatusOr<Decision> decided) {
    outcome = std::move(decided);
    finished.Notify();
  });
  finished.WaitForNotification();
  return outcome;
}

}  // namespace certguard::core
