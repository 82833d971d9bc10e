// libFuzzer target for the whole decision path: raw header bytes -> DecodeHeaders -> X.509
// parse -> chain verification -> policy rules -> response, through EvaluateInRegistry.
//
// The registry is built once at start-up in a temporary directory from the sample PKI of
// tests/testdata/headers (root -> intermediate -> leaf, plus the self-signed other.pem), so the
// checked-in header samples (the seed corpus) reach a real ALLOW and mutations explore every
// refusal. Validation time is fixed (2030-01-01), inside the samples' validity.
//
// Input: byte 0 selects the policy (bits 0-2) and the stated format (bits 3-6; 0 or > 8 =
// detect); byte 1 selects the header name (bits 0-2), the path (bit 3) and plain HTTP (bit 4);
// the rest is the header value; bytes after the first 0xff become a Client-Cert-Chain header.
//
// Contract checked: the RPC status is OK; the reason is set and agrees with the decision; an
// ALLOW with reason OK is only ever for one of the two genuine sample leaves (nothing a fuzzer
// can forge chains to the anchors or matches a pin); the response parses with the generated
// parser (valid UTF-8) and prints as valid JSON; a certificate name that fails its standard's
// parser (SPIFFE ID, normal-form URI, DNS name, mailbox, IP address) is never matched.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"
#include "client/lib/response_printer.h"
#include "fuzz/fuzz_contract.h"
#include "nlohmann/json.hpp"
#include "server/core/evaluator.h"
#include "server/headers/decoder.h"
#include "server/policy/matchers/san_matcher.h"
#include "server/policy/matchers/spiffe_id.h"
#include "server/policy/registry_loader.h"
#include "server/policy/rules/identity_rules.h"
#include "server/x509/certificate.h"

namespace {

namespace fs = std::filesystem;
using ::certguard::fuzz::Check;
namespace v1 = ::certguard::v1;

constexpr const char* kPolicyIds[] = {"chained",     "optional", "pinned",   "strict-headers",
                                      "self-signed", "chained",  "optional", "spiffe-names"};
constexpr const char* kHeaderNames[] = {"X-ARR-ClientCert",
                                        "X-Forwarded-Client-Cert",
                                        "Client-Cert",
                                        "X-Amzn-Mtls-Clientcert",
                                        "X-Forwarded-Tls-Client-Cert",
                                        "ssl-client-cert",
                                        "",
                                        "Cf-Client-Cert-Der-Base64"};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "evaluate_fuzz: cannot read %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Sha256Of(const std::string& pem) {
  auto certs = certguard::x509::Certificate::FromPemBundle(pem);
  Check(certs.ok() && certs->size() == 1, "sample certificate does not parse");
  return (*certs)[0]->info().sha256_hex;
}

struct World {
  certguard::policy::RegistryPtr registry;
  std::string leaf_sha256, other_sha256;
  absl::Time now = absl::FromCivil(absl::CivilSecond(2030, 1, 1, 0, 0, 0), absl::UTCTimeZone());
};

const World& TheWorld() {
  static const World* const world =
      [] {
        auto* w = new World();
        const fs::path samples = fs::path(CERTGUARD_SOURCE_DIR) / "tests/testdata/headers";
        const fs::path dir = fs::temp_directory_path() / ("certguard-evaluate-fuzz-" + std::to_string(getpid()));
        fs::create_directories(dir / "ca");
        const std::string leaf = ReadText(samples / "leaf.pem");
        const std::string other = ReadText(samples / "other.pem");
        w->leaf_sha256 = Sha256Of(leaf);
        w->other_sha256 = Sha256Of(other);
        std::ofstream(dir / "ca/root.pem") << ReadText(samples / "root.pem");
        std::ofstream(dir / "ca/intermediate.pem") << ReadText(samples / "intermediate.pem");
        std::ofstream(dir / "ca/other.pem") << other;
        std::ofstream(dir / "policies.yaml")
            << "policies:\n"
               "  - id: chained\n"
               "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
               "  - id: optional\n"
               "    client_certificate_mode: OPTIONAL\n"
               "    exclusion_paths: /health\n"
               "    trust: {anchor_files: [ca/root.pem]}\n"
               "  - id: pinned\n"
               "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
               "    identity:\n"
               "      certificate_sha256: ["
            << w->leaf_sha256
            << "]\n"
               "      subject: {cn: [client.example.com]}\n"
               "  - id: strict-headers\n"
               "    trust: {anchor_files: [ca/root.pem]}\n"
               "    headers: {formats: [XFCC, RFC9440], max_header_bytes: 8192, max_certificates: 3,\n"
               "              max_certificate_bytes: 4096, xfcc_element: first}\n"
               "  - id: self-signed\n"
               "    trust: {allowed_certificate_types: SELF_SIGNED, anchor_files: [ca/other.pem]}\n"
               "  - id: spiffe-names\n"
               "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
               "    identity: {spiffe_ids: [\"spiffe://**\"]}\n";
        const certguard::policy::LoadResult loaded = certguard::policy::LoadRegistry(dir.string(), w->now);
        if (!loaded.ok()) {
          std::fprintf(stderr, "evaluate_fuzz: registry does not load:\n%s\n", loaded.ErrorSummary().c_str());
          std::abort();
        }
        w->registry = loaded.registry;
        std::error_code ec;
        fs::remove_all(dir, ec);
        return w;
      }();
  return *world;
}

// Patterns broad enough to match any name of their type that parses.
const std::vector<certguard::policy::SanMatcher>& BroadMatchers() {
  static const auto* const matchers = [] {
    auto* out = new std::vector<certguard::policy::SanMatcher>();
    auto add = [&](v1::SanType type, const char* field, const char* pattern) {
      v1::SanMatcher proto;
      proto.set_type(type);
      if (absl::string_view(field) == "glob") proto.set_glob(pattern);
      if (absl::string_view(field) == "suffix") proto.set_suffix(pattern);
      auto m = certguard::policy::SanMatcher::Create(proto);
      Check(m.ok(), "a broad SAN pattern does not compile");
      out->push_back(*std::move(m));
    };
    add(v1::URI, "glob", "spiffe://**");
    add(v1::URI, "glob", "https://**");
    add(v1::URI, "suffix", "m");
    add(v1::DNS, "suffix", ".com");
    add(v1::EMAIL, "suffix", ".com");
    return out;
  }();
  return *matchers;
}

// Contract: a certificate name that fails its standard's parser is never reported as matched,
// by a SAN matcher or by the spiffe_id rule of policy "spiffe-names".
void CheckNamesParseWhenMatched(const certguard::core::EvaluationInput& input,
                                const v1::ValidateCertificateResponse& response) {
  certguard::headers::DecodeResult decoded = certguard::headers::DecodeHeaders(input.headers, {});
  if (decoded.error != certguard::headers::DecodeError::kNone || decoded.chain.der.empty()) return;
  auto leaf = certguard::x509::Certificate::FromDer(decoded.chain.der[0]);
  if (!leaf.ok()) return;
  const certguard::x509::SubjectAltNames& sans = (*leaf)->info().sans;
  for (const certguard::policy::SanMatcher& m : BroadMatchers()) {
    for (const auto* list : {&sans.dns, &sans.uri, &sans.email, &sans.ip}) {
      for (const std::string& name : *list) {
        certguard::x509::SubjectAltNames one;
        one.dns = one.uri = one.email = one.ip = {name};
        Check(!m.Matches(one) || !m.Unparsable(name).has_value(), "a name that does not parse matched");
      }
    }
  }
  if (response.policy_id() == "spiffe-names") {
    for (const v1::Check& c : response.checks()) {
      if (c.name() == "spiffe_id" && c.passed()) {
        Check(certguard::policy::ParseSpiffeId(certguard::policy::SpiffeUriOf((*leaf)->info())).ok(),
              "an invalid SPIFFE ID matched");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const World& world = TheWorld();
  const char* policy_id = kPolicyIds[data[0] & 0x07];
  const int format_bits = (data[0] >> 3) & 0x0f;
  const auto format = format_bits <= 8 ? static_cast<certguard::headers::Format>(format_bits)
                                       : certguard::headers::Format::kUnspecified;
  const absl::string_view header_name = kHeaderNames[data[1] & 0x07];
  const absl::string_view value(reinterpret_cast<const char*>(data + 2), size - 2);

  certguard::core::EvaluationInput input;
  const size_t cut = value.find('\xff');
  input.headers.push_back({header_name, value.substr(0, cut), format});
  if (cut != absl::string_view::npos) {
    input.headers.push_back({"Client-Cert-Chain", value.substr(cut + 1), format});
  }
  input.path = (data[1] & 0x08) != 0 ? "/health/live" : "/api/orders";
  if ((data[1] & 0x10) != 0) input.is_https = false;

  v1::ValidateCertificateResponse response;
  const absl::Status status =
      certguard::core::EvaluateInRegistry(world.registry.get(), policy_id, input, world.now, &response);
  Check(status.ok(), "EvaluateInRegistry failed for a known policy");
  Check(response.reason() != v1::REASON_UNSPECIFIED, "no reason");
  const bool allow_reason = response.reason() == v1::OK || response.reason() == v1::CERTIFICATE_ABSENT_ALLOWED ||
                            response.reason() == v1::PATH_EXCLUDED;
  Check((response.decision() == v1::ALLOW) == allow_reason, "decision and reason disagree");
  Check(response.decision() == v1::ALLOW || response.decision() == v1::DENY, "decision unset");
  if (response.decision() == v1::ALLOW && response.reason() == v1::OK) {
    const std::string& sha = response.identity().sha256_thumbprint();
    Check(sha == world.leaf_sha256 || sha == world.other_sha256, "ALLOW for a certificate that is not a sample leaf");
  }

  // Every answer is readable by strict parsers: proto3 strings are valid UTF-8 (the generated
  // parser refuses anything else) and the JSON printer accepts every field (timestamps in range).
  v1::ValidateCertificateResponse reparsed;
  Check(reparsed.ParseFromString(response.SerializeAsString()), "the response does not parse (invalid UTF-8?)");
  const std::string json = certguard::client::ResponseToJson(response);
  Check(!nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false).is_discarded() &&
            json.find("\"error\"") == std::string::npos,
        "the response does not print as JSON");

  CheckNamesParseWhenMatched(input, response);

  // The server parses presented certificates through a cache shared by every request: the
  // same input must get the same answer through it, on a first parse and on a hit.
  static certguard::x509::CertificateCache* const certificates = new certguard::x509::CertificateCache(64);
  auto policy = certguard::core::LookupPolicy(world.registry.get(), policy_id);
  Check(policy.ok(), "policy not found");
  for (int round = 0; round < 2; ++round) {
    v1::ValidateCertificateResponse cached;
    cached.set_revision(world.registry->revision());
    certguard::core::Evaluate(**policy, input, world.now, &cached, certificates);
    Check(cached.SerializeAsString() == response.SerializeAsString(),
          "the parsed-certificate cache changed the answer");
  }
  return 0;
}
