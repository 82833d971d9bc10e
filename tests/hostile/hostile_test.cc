// Hostile inputs: every row goes through the evaluator (EvaluateInRegistry) and rows marked
// `server` also through the real certguard-server over gRPC. Each row names the exact outcome:
// a DENY reason, or an RPC status. Nothing here may crash, hang or ALLOW.
#include <signal.h>

#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "server/core/evaluator.h"
#include "server/policy/registry_loader.h"
#include "tests/hostile/hostile_inputs.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/fault_fixture.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::hostile::Base64;
using ::certguard::hostile::NestedSequences;
using ::certguard::hostile::Pem;
using ::certguard::hostile::PercentEncode;
using ::certguard::hostile::Tlv;
using ::certguard::testing::CertFactory;
using ::certguard::testing::TestCert;
using ::certguard::testing::Y;

struct Header {
  std::string name;
  std::string value;
  v1::HeaderFormat format = v1::HEADER_FORMAT_UNSPECIFIED;
};

struct Row {
  std::string name;
  std::string policy;
  std::vector<Header> headers;
  v1::Reason reason;                                      // expected DENY reason (evaluator and server)
  bool server = false;                                    // also send to the real server
  grpc::StatusCode server_status = grpc::StatusCode::OK;  // expected RPC status from the server
  std::string path;
  std::optional<bool> is_https;
};

// Everything the table needs, built once per binary.
struct World {
  const testing::FaultRegistry& base = testing::Registry();
  std::string dir;
  policy::RegistryPtr registry;
  std::vector<Row> rows;
};

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<Row> MakeRows(const testing::FaultRegistry& pki) {
  const std::string& leaf = pki.leaf.der();
  const std::string b64 = pki.leaf_header;
  const TestCert stranger = CertFactory::SelfSigned(
      {.cn = "app.contoso.com", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}});
  // Same names as the real CAs, different keys.
  const TestCert fake_root =
      CertFactory::SelfSigned({.cn = "Fault Root", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true});
  const TestCert fake_intermediate = CertFactory::Issue(
      {.cn = "Fault Issuing CA", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true}, fake_root);
  const TestCert forged_leaf = CertFactory::Issue(
      {.cn = "app.contoso.com", .not_before = Y(1970), .not_after = Y(9999), .eku = {"clientAuth"}}, fake_intermediate);
  const TestCert ca_leaf = CertFactory::Issue(
      {.cn = "app.contoso.com", .not_before = Y(1970), .not_after = Y(9999), .is_ca = true, .eku = {"clientAuth"}},
      pki.intermediate);
  const TestCert small_key = CertFactory::Issue({.cn = "app.contoso.com",
                                                 .key = testing::KeySpec::Rsa(1024),
                                                 .not_before = Y(1970),
                                                 .not_after = Y(9999),
                                                 .eku = {"clientAuth"}},
                                                pki.intermediate);
  const TestCert sha1 = CertFactory::Issue({.cn = "app.contoso.com",
                                            .key = testing::KeySpec::Rsa(2048),
                                            .not_before = Y(1970),
                                            .not_after = Y(9999),
                                            .eku = {"clientAuth"},
                                            .digest = "sha1"},
                                           pki.intermediate);
  const TestCert server_auth = CertFactory::Issue(
      {.cn = "app.contoso.com", .not_before = Y(1970), .not_after = Y(9999), .eku = {"serverAuth"}}, pki.intermediate);
  const std::string rsa16k = hostile::CertWithRsaModulusBits(16384, pki.intermediate);
  const std::string rsa32k = hostile::CertWithRsaModulusBits(32768, pki.intermediate);
  // The report's CPU attack: 3072-bit keys with 3071-bit exponents (6.5 ms per signature check),
  // as the leaf and as nine chain certificates behind a valid leaf (ten in all: the limit).
  const std::string huge_exponent = hostile::CertWithRsaModulusBits(3072, pki.intermediate, 3071);
  std::string huge_exponent_chain = pki.leaf.pem();
  for (int i = 0; i < 9; ++i) huge_exponent_chain += Pem(hostile::CertWithRsaModulusBits(3072, pki.intermediate, 3071));

  std::string pem_chain_100;
  for (int i = 0; i < 100; ++i) pem_chain_100 += i == 0 ? pki.leaf.pem() : pki.intermediate.pem();
  std::string traefik_100 = b64;
  for (int i = 0; i < 99; ++i) traefik_100 += "," + pki.intermediate.base64_der();
  std::string pem_chain_11;
  for (int i = 0; i < 11; ++i) pem_chain_11 += i == 0 ? pki.leaf.pem() : pki.intermediate.pem();

  std::string truncated = leaf.substr(0, leaf.size() / 2);
  std::string long_length = leaf;  // outer SEQUENCE claims 0xffff more bytes than present
  long_length[2] = static_cast<char>(0xff);
  long_length[3] = static_cast<char>(0xff);
  std::string indefinite = "\x30\x80" + leaf.substr(4) + std::string("\0\0", 2);
  const std::string huge_serial_tbs =
      Tlv(0x30, Tlv(0xa0, Tlv(0x02, "\x02")) + Tlv(0x02, "\x01" + std::string(20000, '\x55')));
  const std::string huge_integer_cert =
      Tlv(0x30, huge_serial_tbs + Tlv(0x30, Tlv(0x06, "\x2a\x86\x48\xce\x3d\x04\x03\x02")) +
                    Tlv(0x03, std::string("\0", 1) + "sig"));
  const std::string eight_byte_length = "\x30\x88\xff\xff\xff\xff\xff\xff\xff\xff" + leaf.substr(4);
  const std::string oversize_der = Tlv(0x30, Tlv(0x04, std::string(20000, '\0')));
  const std::string xfcc_cert = PercentEncode(pki.leaf.pem());
  const std::string stranger_xfcc = PercentEncode(stranger.pem());
  const std::string zero_hash(64, '0');

  std::vector<Row> rows = {
      // --- absent / trivially empty ---
      {"empty_value", "seed", {{"X-ARR-ClientCert", ""}}, v1::CERTIFICATE_MISSING, true},
      {"whitespace_only", "seed", {{"X-ARR-ClientCert", " \t  "}}, v1::CERTIFICATE_MISSING, true},
      // --- DER structure ---
      {"truncated_der", "seed", {{"X-ARR-ClientCert", Base64(truncated)}}, v1::MALFORMED_HEADER, true},
      {"der_missing_last_byte",
       "seed",
       {{"X-ARR-ClientCert", Base64(leaf.substr(0, leaf.size() - 1))}},
       v1::MALFORMED_HEADER},
      {"der_trailing_garbage", "seed", {{"X-ARR-ClientCert", Base64(leaf + "\x05\x00")}}, v1::MALFORMED_HEADER},
      {"der_outer_length_too_long", "seed", {{"X-ARR-ClientCert", Base64(long_length)}}, v1::MALFORMED_HEADER},
      {"der_indefinite_length", "seed", {{"X-ARR-ClientCert", Base64(indefinite)}}, v1::MALFORMED_HEADER},
      {"der_eight_byte_length", "seed", {{"X-ARR-ClientCert", Base64(eight_byte_length)}}, v1::MALFORMED_HEADER},
      {"der_nested_sequences_2000",
       "seed",
       {{"X-ARR-ClientCert", Base64(NestedSequences(2000, ""))}},
       v1::MALFORMED_CERTIFICATE,
       true},
      {"der_nested_garbage",
       "seed",
       {{"X-ARR-ClientCert", Base64(Tlv(0x30, Tlv(0x30, Tlv(0x04, "garbage")) + Tlv(0x05, "")))}},
       v1::MALFORMED_CERTIFICATE},
      {"der_huge_integer_serial", "seed", {{"X-ARR-ClientCert", Base64(huge_integer_cert)}}, v1::CERTIFICATE_TOO_LARGE},
      {"der_not_a_sequence",
       "seed",
       {{"X-ARR-ClientCert", Base64("\x04\x03"
                                    "abc")}},
       v1::MALFORMED_HEADER},
      {"der_random_bytes",
       "seed",
       {{"X-ARR-ClientCert", Base64(std::string("\x8f\x11\xa0\x00\x42\xff\x13", 7))}},
       v1::MALFORMED_HEADER},
      {"der_sequence_of_zeros_over_16k",
       "seed",
       {{"X-ARR-ClientCert", Base64(oversize_der)}},
       v1::CERTIFICATE_TOO_LARGE,
       true},
      // --- keys and algorithms ---
      {"rsa_16384_bit_key", "seed", {{"X-ARR-ClientCert", Base64(rsa16k)}}, v1::KEY_TOO_LARGE, true},
      {"rsa_32768_bit_key", "seed", {{"X-ARR-ClientCert", Base64(rsa32k)}}, v1::MALFORMED_CERTIFICATE, true},
      {"rsa_exponent_above_2_32",
       "seed",
       {{"X-ARR-ClientCert", Base64(huge_exponent)}},
       v1::MALFORMED_CERTIFICATE,
       true},
      {"rsa_exponent_above_2_32_in_chain",
       "seed",
       {{"X-ARR-ClientCert", PercentEncode(huge_exponent_chain)}},
       v1::MALFORMED_CERTIFICATE,
       true},
      {"rsa_1024_bit_key", "seed", {{"X-ARR-ClientCert", small_key.base64_der()}}, v1::KEY_TOO_SMALL},
      {"sha1_signature", "seed", {{"X-ARR-ClientCert", sha1.base64_der()}}, v1::SIGNATURE_ALGORITHM_NOT_ALLOWED},
      // --- chains ---
      {"pem_chain_100_certificates",
       "big-headers",
       {{"ssl-client-cert", pem_chain_100}},
       v1::TOO_MANY_CERTIFICATES,
       true},
      {"traefik_chain_100_certificates",
       "big-headers",
       {{"X-Forwarded-Tls-Client-Cert", traefik_100}},
       v1::TOO_MANY_CERTIFICATES},
      {"xfcc_chain_100_certificates",
       "big-headers",
       {{"X-Forwarded-Client-Cert", "Chain=" + PercentEncode(pem_chain_100)}},
       v1::TOO_MANY_CERTIFICATES},
      {"pem_chain_11_certificates", "seed", {{"ssl-client-cert", pem_chain_11}}, v1::TOO_MANY_CERTIFICATES},
      {"self_signed_lookalike",
       "seed",
       {{"X-ARR-ClientCert", stranger.base64_der()}},
       v1::SELF_SIGNED_NOT_ALLOWED,
       true},
      {"forged_chain_same_names",
       "seed",
       {{"ssl-client-cert", forged_leaf.pem() + fake_intermediate.pem() + fake_root.pem()}},
       v1::UNTRUSTED_CHAIN,
       true},
      {"leaf_is_ca", "seed", {{"X-ARR-ClientCert", ca_leaf.base64_der()}}, v1::LEAF_IS_CA},
      {"wrong_eku", "seed", {{"X-ARR-ClientCert", server_auth.base64_der()}}, v1::EKU_MISMATCH},
      // --- text encodings ---
      {"invalid_utf8_prefix", "seed", {{"X-ARR-ClientCert", "\xc3\x28" + b64}}, v1::MALFORMED_HEADER},
      {"nul_inside_base64",
       "seed",
       {{"X-ARR-ClientCert", b64.substr(0, 10) + std::string(1, '\0') + b64.substr(10)}},
       v1::MALFORMED_HEADER,
       true},
      {"nul_after_base64", "seed", {{"X-ARR-ClientCert", b64 + std::string(1, '\0')}}, v1::MALFORMED_HEADER},
      {"base64_with_junk",
       "seed",
       {{"X-ARR-ClientCert", b64.substr(0, 40) + "!!*$" + b64.substr(40)}},
       v1::MALFORMED_HEADER,
       true},
      {"base64_bad_padding", "seed", {{"X-ARR-ClientCert", b64 + "===="}}, v1::MALFORMED_HEADER},
      {"base64_inner_padding",
       "seed",
       {{"X-ARR-ClientCert", b64.substr(0, 40) + "==" + b64.substr(40)}},
       v1::MALFORMED_HEADER},
      {"pem_mismatched_end",
       "seed",
       {{"ssl-client-cert", "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END PRIVATE KEY-----\n"}},
       v1::MALFORMED_HEADER},
      {"pem_unterminated",
       "seed",
       {{"ssl-client-cert", "-----BEGIN CERTIFICATE-----\n" + b64 + "\n"}},
       v1::MALFORMED_HEADER},
      {"percent_nul_escape",
       "seed",
       {{"X-Amzn-Mtls-Clientcert-Leaf", xfcc_cert.substr(0, 60) + "%00" + xfcc_cert.substr(60)}},
       v1::MALFORMED_HEADER},
      {"percent_truncated_escape", "seed", {{"X-Amzn-Mtls-Clientcert-Leaf", xfcc_cert + "%2"}}, v1::MALFORMED_HEADER},
      {"percent_double_encoded",
       "seed",
       {{"X-Amzn-Mtls-Clientcert-Leaf", PercentEncode(xfcc_cert)}},
       v1::MALFORMED_HEADER,
       true},
      {"percent_overlong_utf8_dot",
       "seed",
       {{"X-Amzn-Mtls-Clientcert-Leaf", xfcc_cert.substr(0, 60) + "%C0%AE" + xfcc_cert.substr(60)}},
       v1::MALFORMED_HEADER},
      {"percent_invalid_hex",
       "seed",
       {{"X-Amzn-Mtls-Clientcert-Leaf", xfcc_cert.substr(0, 60) + "%G1" + xfcc_cert.substr(60)}},
       v1::MALFORMED_HEADER},
      // --- XFCC ---
      {"xfcc_smuggled_second_cert",
       "seed",
       {{"X-Forwarded-Client-Cert", "Cert=\"" + xfcc_cert + "\";Cert=\"" + stranger_xfcc + "\""}},
       v1::MALFORMED_HEADER,
       true},
      {"xfcc_hash_mismatch",
       "seed",
       {{"X-Forwarded-Client-Cert", "Hash=" + zero_hash + ";Cert=\"" + xfcc_cert + "\""}},
       v1::XFCC_HASH_MISMATCH,
       true},
      {"xfcc_unterminated_quote",
       "seed",
       {{"X-Forwarded-Client-Cert", "By=spiffe://x;Cert=\"" + xfcc_cert}},
       v1::MALFORMED_HEADER},
      {"xfcc_1000_elements",
       "seed",
       {{"X-Forwarded-Client-Cert", Repeat("By=spiffe://proxy;URI=spiffe://x,", 1000) + "Cert=" + stranger_xfcc}},
       v1::SELF_SIGNED_NOT_ALLOWED},
      {"xfcc_header_too_large",
       "seed",
       {{"X-Forwarded-Client-Cert", Repeat("By=spiffe://proxy;URI=spiffe://x,", 3000)}},
       v1::HEADER_TOO_LARGE},
      // --- RFC 9440 / Traefik ---
      {"rfc9440_missing_colons",
       "seed",
       {
           {"Client-Cert", b64},
       },
       v1::MALFORMED_HEADER,
       false,
       grpc::StatusCode::OK,
       "",
       std::nullopt},
      {"rfc9440_chain_without_leaf",
       "seed",
       {{"Client-Cert-Chain", ":" + pki.intermediate.base64_der() + ":"}},
       v1::MALFORMED_HEADER},
      {"traefik_empty_members",
       "seed",
       {{"X-Forwarded-Tls-Client-Cert", b64 + Repeat(",", 200)}},
       v1::MALFORMED_HEADER},
      // --- duplicated headers ---
      {"duplicate_leaf_headers",
       "seed",
       {{"X-ARR-ClientCert", b64}, {"X-ARR-ClientCert", stranger.base64_der()}},
       v1::MALFORMED_HEADER,
       true},
      {"duplicate_identical_headers",
       "seed",
       {{"X-ARR-ClientCert", b64}, {"X-ARR-ClientCert", b64}},
       v1::MALFORMED_HEADER},
      {"two_formats_two_leaves",
       "seed",
       {{"X-ARR-ClientCert", b64}, {"X-Forwarded-Client-Cert", "Cert=\"" + stranger_xfcc + "\""}},
       v1::MALFORMED_HEADER},
      // --- size ---
      {"header_over_64k", "seed", {{"X-ARR-ClientCert", std::string(70000, 'A')}}, v1::HEADER_TOO_LARGE, true},
      {"oversize_request",
       "seed",
       {{"X-ARR-ClientCert", std::string(300000, 'A')}},
       v1::HEADER_TOO_LARGE,
       true,
       grpc::StatusCode::INVALID_ARGUMENT},
      // --- policy pins and transport ---
      {"format_not_allowed",
       "xfcc-only",
       {{"X-Forwarded-Client-Cert", b64, v1::BASE64_DER}},
       v1::FORMAT_NOT_ALLOWED,
       true},
      {"header_not_allowed",
       "xfcc-only",
       {{"X-ARR-ClientCert", "Cert=\"" + xfcc_cert + "\"", v1::XFCC}},
       v1::HEADER_NOT_ALLOWED},
      {"plain_http", "seed", {{"X-ARR-ClientCert", b64}}, v1::HTTPS_REQUIRED, true, grpc::StatusCode::OK, "", false},
      {"encoded_dot_path_not_excluded",
       "open",
       {{"X-ARR-ClientCert", "garbage!"}},
       v1::MALFORMED_HEADER,
       true,
       grpc::StatusCode::OK,
       "/health/%2e%2e/admin"},
      {"dot_segment_path_not_excluded",
       "open",
       {{"X-ARR-ClientCert", "garbage!"}},
       v1::MALFORMED_HEADER,
       false,
       grpc::StatusCode::OK,
       "/health/../admin"},
  };
  return rows;
}

const World& TheWorld() {
  static const World* const world = [] {
    auto* w = new World();
    w->dir = testing::CopyRegistry(w->base.dir, "hostile");
    testing::WriteFile(w->dir + "/hostile.yaml",
                       "id: xfcc-only\n"
                       "trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                       "headers: {formats: [XFCC], names: [x-forwarded-client-cert]}\n"
                       "---\n"
                       "id: big-headers\n"  // 100-certificate chains stay under the header limit
                       "trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
                       "headers: {max_header_bytes: 1048576}\n");
    policy::LoadResult loaded = policy::LoadRegistry(w->dir, absl::UnixEpoch());
    EXPECT_TRUE(loaded.ok()) << loaded.ErrorSummary();
    w->registry = loaded.registry;
    w->rows = MakeRows(w->base);
    return w;
  }();
  return *world;
}

v1::ValidateCertificateRequest ToRequest(const Row& row) {
  v1::ValidateCertificateRequest request;
  request.set_policy_id(row.policy);
  request.set_path(row.path);
  if (row.is_https.has_value()) request.set_is_https(*row.is_https);
  if (row.headers.size() == 1) {
    request.set_header_name(row.headers[0].name);
    request.set_header_value(row.headers[0].value);
    request.set_format(row.headers[0].format);
  } else {
    for (const Header& h : row.headers) {
      v1::ForwardedHeader* out = request.add_headers();
      out->set_name(h.name);
      out->set_value(h.value);
      out->set_format(h.format);
    }
  }
  return request;
}

TEST(HostileTableTest, HasAtLeastFortyRowsWithUniqueNames) {
  const auto& rows = TheWorld().rows;
  EXPECT_GE(rows.size(), 40u);
  std::set<std::string> names;
  for (const Row& row : rows) EXPECT_TRUE(names.insert(row.name).second) << row.name;
}

TEST(HostileTableTest, EvaluatorDeniesEveryRowWithItsReason) {
  const World& world = TheWorld();
  ASSERT_NE(world.registry, nullptr);
  const absl::Time now = Y(2030);
  for (const Row& row : world.rows) {
    SCOPED_TRACE(row.name);
    core::EvaluationInput input;
    for (const Header& h : row.headers) {
      input.headers.push_back({h.name, h.value, static_cast<headers::Format>(h.format)});
    }
    input.path = row.path;
    input.is_https = row.is_https;
    v1::ValidateCertificateResponse response;
    const absl::Status status = core::EvaluateInRegistry(world.registry.get(), row.policy, input, now, &response);
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(response.decision(), v1::DENY) << row.name;
    EXPECT_EQ(v1::Reason_Name(response.reason()), v1::Reason_Name(row.reason))
        << row.name << ": " << response.message();
  }
}

TEST(HostileTableTest, RealServerAnswersTheServerRowsTheSameWay) {
  const World& world = TheWorld();
  testing::ServerProcess server(testing::ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + world.dir});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  int sent = 0;
  for (const Row& row : world.rows) {
    if (!row.server) continue;
    SCOPED_TRACE(row.name);
    ++sent;
    const testing::CallResult result = testing::Call(channel, ToRequest(row));
    EXPECT_EQ(result.status.error_code(), row.server_status) << row.name << ": " << result.status.error_message();
    if (row.server_status != grpc::StatusCode::OK) continue;
    EXPECT_EQ(result.response.decision(), v1::DENY) << row.name;
    EXPECT_EQ(v1::Reason_Name(result.response.reason()), v1::Reason_Name(row.reason))
        << row.name << ": " << result.response.message();
  }
  EXPECT_GE(sent, 20);
  // Empty policy id: the request itself is unusable.
  v1::ValidateCertificateRequest no_policy;
  no_policy.set_header_value(world.base.leaf_header);
  EXPECT_EQ(testing::Call(channel, no_policy).status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Still alive and correct after all of it.
  const testing::CallResult good = testing::Call(channel, [&] {
    v1::ValidateCertificateRequest r;
    r.set_policy_id("seed");
    r.set_header_value(world.base.leaf_header);
    return r;
  }());
  ASSERT_TRUE(good.status.ok());
  EXPECT_EQ(good.response.reason(), v1::OK);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0) << server.Stderr();
}

}  // namespace
}  // namespace certguard
