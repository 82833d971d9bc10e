// headers::DecodeHeaders for each forwarding format (one RSA-2048 leaf, or leaf + intermediate
// where the format carries a chain).
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/sha.h>

#include "bench/micro/fixtures.h"
#include "server/headers/decoder.h"

namespace certguard::bench {
namespace {

using headers::Format;

std::string Hex(const std::string& der) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), md);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : md) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  Format format;
};

std::vector<Case> MakeCases() {
  const Pki& pki = GetPki(KeyType::kRsa2048);
  const std::string pem = pki.leaf3.Pem();
  const std::string b64 = pki.leaf3.Base64Der();
  std::string body;  // PEM body with line breaks, no markers
  for (size_t i = 0; i < b64.size(); i += 64) body += b64.substr(i, 64) + "\n";
  std::string tabbed;  // nginx $ssl_client_cert: a tab before every line after the first
  for (size_t i = 0; i < pem.size(); ++i) {
    tabbed += pem[i];
    if (pem[i] == '\n' && i + 1 < pem.size()) tabbed += '\t';
  }
  if (!tabbed.empty() && tabbed.back() == '\n') tabbed.pop_back();
  const std::string xfcc = "By=spiffe://bench.example/proxy;Hash=" + Hex(pki.leaf3.Der()) + ";Cert=\"" +
                           UrlEncode(pem) + "\";Chain=\"" + UrlEncode(pem + pki.intermediate.Pem()) +
                           "\";Subject=\"CN=client3.bench.example,O=certguard bench\";DNS=client3.bench.example";
  return {
      {"BASE64_DER", {{"X-ARR-ClientCert", b64}}, Format::kBase64Der},
      {"BASE64_DER/detect", {{"X-ARR-ClientCert", b64}}, Format::kUnspecified},
      {"PEM_BODY", {{"X-ARR-ClientCert", body}}, Format::kPemBody},
      {"PEM", {{"X-Client-Cert", pem}}, Format::kPem},
      {"URL_ENCODED_PEM", {{"X-Amzn-Mtls-Clientcert-Leaf", UrlEncode(pem)}}, Format::kUrlEncodedPem},
      {"XFCC", {{"X-Forwarded-Client-Cert", xfcc}}, Format::kXfcc},
      {"XFCC/detect", {{"X-Forwarded-Client-Cert", xfcc}}, Format::kUnspecified},
      {"RFC9440",
       {{"Client-Cert", ":" + b64 + ":"}, {"Client-Cert-Chain", ":" + pki.intermediate.Base64Der() + ":"}},
       Format::kRfc9440},
      {"NGINX_TABBED_PEM", {{"X-SSL-Client-Cert", tabbed}}, Format::kNginxTabbedPem},
      {"TRAEFIK", {{"X-Forwarded-Tls-Client-Cert", b64 + "," + pki.intermediate.Base64Der()}}, Format::kTraefik},
  };
}

void BM_Decode(benchmark::State& state, const Case* c) {
  std::vector<headers::HeaderInput> inputs;
  for (const auto& [name, value] : c->headers) {
    Format f = c->format;
    if (name == "Client-Cert-Chain") f = Format::kRfc9440;
    inputs.push_back({name, value, f});
  }
  headers::DecodeOptions options;
  headers::DecodeResult check = headers::DecodeHeaders(inputs, options);
  if (check.error != headers::DecodeError::kNone || check.absent) {
    state.SkipWithError(("decode failed: " + check.message).c_str());
    return;
  }
  size_t bytes = 0;
  for (const auto& h : c->headers) bytes += h.second.size();
  for (auto _ : state) {
    headers::DecodeResult r = headers::DecodeHeaders(inputs, options);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
  state.counters["certs"] = static_cast<double>(check.chain.der.size());
}

const bool kRegistered = [] {
  static const std::vector<Case>* cases = nullptr;
  // Cases are built lazily (key generation) but registered eagerly by name.
  static const char* kNames[] = {
      "BASE64_DER",  "BASE64_DER/detect", "PEM_BODY",         "PEM",    "URL_ENCODED_PEM", "XFCC",
      "XFCC/detect", "RFC9440",           "NGINX_TABBED_PEM", "TRAEFIK"};
  for (size_t i = 0; i < std::size(kNames); ++i) {
    benchmark::RegisterBenchmark((std::string("BM_Decode/") + kNames[i]).c_str(), [i](benchmark::State& state) {
      if (cases == nullptr) cases = new std::vector<Case>(MakeCases());
      BM_Decode(state, &(*cases)[i]);
    });
  }
  return true;
}();

}  // namespace
}  // namespace certguard::bench
