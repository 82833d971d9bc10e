#include "tests/conformance/limbo_runner.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "certguard/v1/policy.pb.h"
#include "certguard/v1/validator.pb.h"
#include "server/core/evaluator.h"
#include "server/policy/load_context.h"
#include "server/policy/policy_compiler.h"

namespace certguard::conformance {
namespace {

using nlohmann::json;

// certguard's depth limit counts certificates (leaf and anchor included); limbo's, like
// OpenSSL's, counts intermediates only.
constexpr int kMaxPolicyDepth = 32;  // the compiler's upper bound

std::vector<std::string> Strings(const json& tc, const char* key) {
  std::vector<std::string> out;
  if (!tc.contains(key) || !tc[key].is_array()) return out;
  for (const json& v : tc[key]) out.push_back(v.get<std::string>());
  return out;
}

absl::Time ValidationTime(const json& tc) {
  if (!tc.contains("validation_time") || tc["validation_time"].is_null()) {
    return DefaultValidationTime();
  }
  const std::string text = tc["validation_time"].get<std::string>();
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  return DefaultValidationTime();  // unreachable with the shared data (all RFC 3339)
}

// The certguard policy that asks what the limbo case asks.
v1::Policy PolicyFor(const json& tc, const std::string& scratch_dir, std::string* error) {
  v1::Policy p;
  p.set_id("limbo");
  v1::Trust* trust = p.mutable_trust();
  for (const std::string& pem : Strings(tc, "trusted_certs")) trust->add_anchors_pem(pem);
  // Partial chains as the reference harness runs OpenSSL (X509_V_FLAG_PARTIAL_CHAIN); this is
  // also certguard's default.
  trust->set_allow_partial_chain(true);
  // A case without a depth limit gets certguard's largest (the default, 5, is a deployment
  // choice that the deep BetterTLS path-building graphs exceed).
  int depth = kMaxPolicyDepth;
  if (tc.contains("max_chain_depth") && tc["max_chain_depth"].is_number_integer()) {
    depth = std::clamp(tc["max_chain_depth"].get<int>() + 2, 1, kMaxPolicyDepth);
  }
  trust->set_max_chain_depth(static_cast<uint32_t>(depth));

  // Limbo's EKU list is the purpose the leaf must have. An empty list sets no purpose: the
  // policy then accepts any purpose but keeps certguard's default that a leaf without an
  // extendedKeyUsage is not a client certificate (allow_missing: false).
  std::vector<std::string> ekus = Strings(tc, "extended_key_usage");
  if (ekus.empty()) {
    ekus = {"serverAuth",   "clientAuth",  "codeSigning",        "emailProtection",
            "timeStamping", "OCSPSigning", "anyExtendedKeyUsage"};
  }
  for (const std::string& e : ekus) p.mutable_extended_key_usage()->add_allowed(e);
  for (std::string ku : Strings(tc, "key_usage")) {
    if (ku == "contentCommitment") ku = "nonRepudiation";  // RFC 5280's later name
    p.mutable_key_usage()->add_required(ku);
  }

  const std::vector<std::string> crls = Strings(tc, "crls");
  for (size_t i = 0; i < crls.size(); ++i) {
    const std::string path = absl::StrCat(scratch_dir, "/crl", i, ".pem");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << crls[i];
    if (!out) *error = absl::StrCat("cannot write ", path);
    p.mutable_revocation()->add_crl_files(path);
  }
  if (!crls.empty()) {
    // Every certificate below the anchor (RFC 5280 6.3 never checks the anchor itself).
    p.mutable_revocation()->set_scope(v1::EXCLUDE_ROOT);
  }

  // The header bounds stay on (they are part of what certguard is); raised to their maximum so
  // the long pathological chains reach the verifier instead of stopping at the header.
  v1::HeaderRules* h = p.mutable_headers();
  h->set_max_certificates(100);
  h->set_max_header_bytes(1 << 20);
  h->set_max_certificate_bytes(64 * 1024);
  return p;
}

}  // namespace

absl::Time DefaultValidationTime() { return absl::FromUnixSeconds(1735689600); }

const std::set<std::string>& UnsupportedFeatures() {
  // pedantic-public-suffix-wildcard: needs the Public Suffix List, a host-name matter.
  static const std::set<std::string> kUnsupported = {"pedantic-public-suffix-wildcard"};
  return kUnsupported;
}

absl::StatusOr<std::string> ReadGzipFile(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const int n = gzread(f, buf, sizeof(buf));
    if (n < 0) {
      int errnum = 0;
      std::string msg = gzerror(f, &errnum);
      gzclose(f);
      return absl::DataLossError(absl::StrCat(path, ": ", msg));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  gzclose(f);
  return out;
}

CaseOutcome RunCase(const json& tc, const std::string& scratch_dir) {
  CaseOutcome outcome;
  std::string error;
  const v1::Policy proto = PolicyFor(tc, scratch_dir, &error);
  if (!error.empty()) {
    outcome.reason = "RUNNER_ERROR";
    outcome.message = error;
    return outcome;
  }
  policy::LoadContext context;
  auto compiled = policy::CompilePolicy(proto, scratch_dir + "/limbo.yaml", &context);
  if (!compiled.ok()) {
    outcome.reason = "POLICY_COMPILE_ERROR";
    outcome.message = std::string(compiled.status().message());
    return outcome;
  }

  std::string value = tc["peer_certificate"].get<std::string>();
  for (const std::string& pem : Strings(tc, "untrusted_intermediates")) {
    if (!value.empty() && value.back() != '\n') value.push_back('\n');
    value += pem;
  }
  core::EvaluationInput input;
  input.headers.push_back(headers::HeaderInput{"X-Client-Cert", value, headers::Format::kPem});
  input.path = "/";
  v1::ValidateCertificateResponse response;
  core::Evaluate(**compiled, input, ValidationTime(tc), &response);
  outcome.verdict = response.decision() == v1::ALLOW ? Verdict::kSuccess : Verdict::kFailure;
  outcome.reason = v1::Reason_Name(response.reason());
  outcome.message = response.message();
  return outcome;
}

absl::StatusOr<std::map<std::string, std::string>> ReadExpectedFailures(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::map<std::string, std::string> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    absl::string_view rest = absl::StripAsciiWhitespace(line);
    if (rest.empty() || rest[0] == '#') continue;
    const size_t hash = rest.find('#');
    if (hash == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": missing \"# reason\""));
    }
    const std::string id(absl::StripAsciiWhitespace(rest.substr(0, hash)));
    const std::string reason(absl::StripAsciiWhitespace(rest.substr(hash + 1)));
    if (id.empty() || reason.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": expected \"<id> # <reason>\""));
    }
    out[id] = reason;
  }
  return out;
}

}  // namespace certguard::conformance
