// Integration: Envoy's ext_authz Check against the real certguard-server binary (port 0,
// generated registry, certificates valid 1970-9999 or long expired so the wall clock never
// matters). Requests are shaped as Envoy sends them: the peer certificate URL-encoded PEM in
// attributes.source.certificate, lower-cased headers, XFCC, the policy in context_extensions.
// Also: the same answers as ValidateCertificate, and the Python client's answers.
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <mutex>

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "server/ext_authz/options.h"
#include "tests/ext_authz/envoy_encoding.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::EnvoyUrlEncodePem;
using ::certguard::testing::EnvoyXfcc;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::RunCommand;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::TestCert;
using ::certguard::testing::WriteFile;
using envoy::service::auth::v3::CheckRequest;
using envoy::service::auth::v3::CheckResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

absl::Time Year(int year) { return absl::FromCivil(absl::CivilSecond(year, 1, 1, 0, 0, 0), absl::UTCTimeZone()); }

struct Pki {
  TestCert root = CertFactory::SelfSigned({.cn = "ExtAuthz Root",
                                           .subject_extra = {{"O", "Contoso"}},
                                           .not_before = Year(1970),
                                           .not_after = Year(9999),
                                           .is_ca = true});
  TestCert intermediate = CertFactory::Issue({.cn = "ExtAuthz Issuing CA",
                                              .subject_extra = {{"O", "Contoso"}},
                                              .not_before = Year(1970),
                                              .not_after = Year(9999),
                                              .is_ca = true},
                                             root);
  TestCert leaf = CertFactory::Issue({.cn = "app.contoso.com",
                                      .subject_extra = {{"O", "Contoso"}},
                                      .not_before = Year(1970),
                                      .not_after = Year(9999),
                                      .eku = {"clientAuth"},
                                      .san_dns = {"app.contoso.com"},
                                      .san_uri = {"spiffe://contoso.com/ns/prod/sa/app"}},
                                     intermediate);
  TestCert expired = CertFactory::Issue(
      {.cn = "old.contoso.com", .not_before = Year(1971), .not_after = Year(1980), .eku = {"clientAuth"}},
      intermediate);
  TestCert stranger = CertFactory::SelfSigned(
      {.cn = "app.contoso.com", .not_before = Year(1970), .not_after = Year(9999), .eku = {"clientAuth"}});
  std::string dir = MakeTempDir("extauthz-registry");

  Pki() {
    WriteFile(dir + "/ca/root.pem", root.pem());
    WriteFile(dir + "/ca/intermediate.pem", intermediate.pem());
    WriteFile(dir + "/policies.yaml",
              "policies:\n"
              "  - id: seed\n"
              "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n"
              "    extended_key_usage: {allowed: [clientAuth]}\n"
              "    identity:\n"
              "      issuer: {cn: [ExtAuthz Issuing CA], o: [Contoso]}\n"
              "  - id: open\n"
              "    client_certificate_mode: OPTIONAL\n"
              "    exclusion_paths: /health\n"
              "    trust: {anchor_files: [ca/root.pem], intermediate_files: [ca/intermediate.pem]}\n");
  }
};

const Pki& P() { return ::certguard::testing::Shared<Pki>(); }

// What Envoy's ext_authz filter sends for one downstream request.
struct EnvoyCall {
  std::string policy;    // context_extensions certguard_policy; empty = none
  std::string peer_pem;  // include_peer_certificate: true
  std::map<std::string, std::string> headers;
  std::string path = "/api/orders?id=1";
  std::string scheme = "https";
};

CheckRequest EnvoyRequest(const EnvoyCall& call) {
  CheckRequest request;
  auto* a = request.mutable_attributes();
  a->mutable_source()->mutable_labels()->insert({"app", "client"});
  if (!call.peer_pem.empty()) a->mutable_source()->set_certificate(EnvoyUrlEncodePem(call.peer_pem));
  a->mutable_destination()->set_principal("spiffe://contoso.com/ns/prod/sa/orders");
  a->mutable_tls_session()->set_sni("orders.contoso.com");
  auto* http = a->mutable_request()->mutable_http();
  a->mutable_request()->mutable_time()->set_seconds(1700000000);
  http->set_id("a7c3a5b2-1d7e-4e9a-9a7e-2f0e3c4d5b6a");
  http->set_method("GET");
  http->set_path(call.path);
  http->set_host("orders.contoso.com");
  http->set_scheme(call.scheme);
  http->set_protocol("HTTP/2");
  auto& h = *http->mutable_headers();
  h[":authority"] = "orders.contoso.com";
  h[":method"] = "GET";
  h[":path"] = call.path;
  h[":scheme"] = call.scheme;
  h["user-agent"] = "curl/7.88.1";
  h["x-request-id"] = http->id();
  for (const auto& [k, v] : call.headers) h[k] = v;
  if (!call.policy.empty()) (*a->mutable_context_extensions())["certguard_policy"] = call.policy;
  return request;
}

std::map<std::string, std::string> Added(const CheckResponse& r) {
  std::map<std::string, std::string> out;
  for (const auto& h : r.ok_response().headers()) {
    EXPECT_FALSE(h.append().value()) << h.header().key();
    out[h.header().key()] = h.header().value();
  }
  return out;
}

CheckResponse CheckOn(const std::shared_ptr<grpc::Channel>& channel, const CheckRequest& request) {
  auto stub = envoy::service::auth::v3::Authorization::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  CheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  return response;
}

class ExtAuthzServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir,
                                                 "--ext_authz_cert_sources=" + ext_authz::AllCertSourcesSpec()});
    ASSERT_TRUE(server_->WaitReady()) << server_->Stderr();
    channel_ =
        new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
  }
  static void TearDownTestSuite() {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(), 0);
    delete server_;
    delete channel_;
  }

  static CheckResponse Check(const EnvoyCall& call) { return CheckOn(*channel_, EnvoyRequest(call)); }

  static v1::ValidateCertificateResponse Validate(const std::string& policy, const std::string& pem) {
    auto stub = v1::CertificateValidator::NewStub(*channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ValidateCertificateRequest request;
    request.set_policy_id(policy);
    request.set_header_value(pem);
    request.set_format(v1::PEM);
    request.set_path("/api/orders?id=1");
    request.set_is_https(true);
    v1::ValidateCertificateResponse response;
    grpc::Status status = stub->ValidateCertificate(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static ServerProcess* server_;
  static std::shared_ptr<grpc::Channel>* channel_;
};

ServerProcess* ExtAuthzServerTest::server_ = nullptr;
std::shared_ptr<grpc::Channel>* ExtAuthzServerTest::channel_ = nullptr;

TEST_F(ExtAuthzServerTest, PeerCertificateAllowsAddsIdentityAndStripsForwardedHeaders) {
  CheckResponse r = Check({.policy = "seed",
                           .peer_pem = P().leaf.pem(),
                           .headers = {{"x-forwarded-client-cert", "By=x;Hash=00;Subject=\"CN=admin\""},
                                       {"x-arr-clientcert", P().stranger.base64_der()},
                                       {"x-client-cert-subject", "CN=admin"},
                                       {"x-client-spiffe-id", "spiffe://evil/admin"}}});
  ASSERT_EQ(r.status().code(), 0) << r.DebugString();
  ASSERT_TRUE(r.has_ok_response());
  auto added = Added(r);
  EXPECT_THAT(added["x-client-cert-subject"], HasSubstr("CN=app.contoso.com"));
  EXPECT_EQ(added["x-client-cert-sha256"], P().leaf.sha256_hex());
  EXPECT_THAT(added["x-client-cert-issuer"], HasSubstr("CN=ExtAuthz Issuing CA"));
  EXPECT_EQ(added["x-client-spiffe-id"], "spiffe://contoso.com/ns/prod/sa/app");
  EXPECT_EQ(added["x-certguard-policy"], "seed");
  EXPECT_EQ(added["x-certguard-revision"].size(), 16u);
  EXPECT_EQ(added["x-certguard-reason"], "OK");
  EXPECT_THAT(r.ok_response().headers_to_remove(), UnorderedElementsAre("x-forwarded-client-cert", "x-arr-clientcert"));
}

TEST_F(ExtAuthzServerTest, XfccFromAnUpstreamProxyAllows) {
  CheckResponse r =
      Check({.policy = "seed",
             .headers = {{"x-forwarded-client-cert", EnvoyXfcc(P().leaf.sha256_hex(), P().leaf.pem(),
                                                               "CN=app.contoso.com,O=Contoso", "app.contoso.com")}}});
  ASSERT_EQ(r.status().code(), 0) << r.DebugString();
  EXPECT_EQ(Added(r)["x-client-cert-sha256"], P().leaf.sha256_hex());
  EXPECT_THAT(r.ok_response().headers_to_remove(), ElementsAre("x-forwarded-client-cert"));
}

TEST_F(ExtAuthzServerTest, ExpiredIsForbiddenWithAJsonBody) {
  CheckResponse r = Check({.policy = "seed", .peer_pem = P().expired.pem()});
  EXPECT_EQ(r.status().code(), 7);  // PERMISSION_DENIED
  ASSERT_TRUE(r.has_denied_response());
  EXPECT_EQ(r.denied_response().status().code(), envoy::type::v3::Forbidden);
  ASSERT_EQ(r.denied_response().headers_size(), 1);
  EXPECT_EQ(r.denied_response().headers(0).header().key(), "content-type");
  EXPECT_EQ(r.denied_response().headers(0).header().value(), "application/json");
  nlohmann::json body = nlohmann::json::parse(r.denied_response().body());
  EXPECT_EQ(body["decision"], "DENY");
  EXPECT_EQ(body["reason"], "EXPIRED");
  EXPECT_EQ(body["policy"], "seed");
  EXPECT_FALSE(body["message"].get<std::string>().empty());
  EXPECT_EQ(body.size(), 4u);
}

TEST_F(ExtAuthzServerTest, NoCertificateIsUnauthenticated) {
  CheckResponse r = Check({.policy = "seed", .headers = {{"x-forwarded-client-cert", ""}}});
  EXPECT_EQ(r.status().code(), 16);  // UNAUTHENTICATED
  EXPECT_EQ(r.denied_response().status().code(), envoy::type::v3::Unauthorized);
  EXPECT_EQ(nlohmann::json::parse(r.denied_response().body())["reason"], "CERTIFICATE_MISSING");
}

TEST_F(ExtAuthzServerTest, PolicyProblemsAreDenials) {
  CheckResponse r = Check({.policy = "no-such-policy", .peer_pem = P().leaf.pem()});
  EXPECT_EQ(r.status().code(), 7);
  EXPECT_EQ(r.denied_response().status().code(), envoy::type::v3::Forbidden);
  nlohmann::json body = nlohmann::json::parse(r.denied_response().body());
  EXPECT_EQ(body["reason"], "POLICY_NOT_FOUND");
  EXPECT_EQ(body["policy"], "no-such-policy");
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("no-such-policy"));

  r = Check({.peer_pem = P().leaf.pem()});
  EXPECT_EQ(r.status().code(), 7);
  EXPECT_EQ(r.denied_response().status().code(), envoy::type::v3::Forbidden);
  EXPECT_EQ(nlohmann::json::parse(r.denied_response().body())["reason"], "POLICY_ID_MISSING");
}

// A CheckRequest over --max_request_bytes (default 256 KiB) is denied on its wire size, before
// it is parsed; up to 64 KiB over it is still an answer Envoy reads as a denial.
TEST_F(ExtAuthzServerTest, OversizeRequestIsDeniedBeforeParsing) {
  CheckResponse r = Check({.policy = "seed", .headers = {{"x-filler", std::string(300000, 'a')}}});
  EXPECT_EQ(r.status().code(), 7);
  EXPECT_EQ(r.denied_response().status().code(), envoy::type::v3::Forbidden);
  nlohmann::json body = nlohmann::json::parse(r.denied_response().body());
  EXPECT_EQ(body["reason"], "HEADER_TOO_LARGE");
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("over the limit of 262144 bytes"));
  // Bytes that are no CheckRequest are an RPC error (Envoy: failure_mode_allow decides; false denies).
  grpc::GenericStub generic(*channel_);
  grpc::ClientContext context;
  const std::string junk = "\x0a\xff\xff";
  grpc::Slice slice(junk.data(), junk.size());
  grpc::ByteBuffer in(&slice, 1), out;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&context, "/envoy.service.auth.v3.Authorization/Check", grpc::StubOptions(), &in, &out,
                    [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ExtAuthzServerTest, PathAndSchemeReachThePolicy) {
  CheckResponse r = Check({.policy = "seed", .peer_pem = P().leaf.pem(), .scheme = "http"});
  EXPECT_EQ(nlohmann::json::parse(r.denied_response().body())["reason"], "HTTPS_REQUIRED");
  r = Check({.policy = "open", .headers = {{"x-arr-clientcert", "%%%garbage"}}, .path = "/health/ready"});
  EXPECT_EQ(r.status().code(), 0);
  EXPECT_EQ(Added(r)["x-certguard-reason"], "PATH_EXCLUDED");
  r = Check({.policy = "open"});
  EXPECT_EQ(r.status().code(), 0);
  EXPECT_EQ(Added(r)["x-certguard-reason"], "CERTIFICATE_ABSENT_ALLOWED");
  EXPECT_EQ(Added(r).count("x-client-cert-sha256"), 0u);
}

TEST_F(ExtAuthzServerTest, HealthIsServingForTheAuthorizationService) {
  auto stub = grpc::health::v1::Health::NewStub(*channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("envoy.service.auth.v3.Authorization");
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// Both front ends call the same evaluator: same certificate + policy -> same decision.
TEST_F(ExtAuthzServerTest, SameDecisionAsValidateCertificate) {
  const std::vector<std::pair<std::string, const TestCert*>> cases = {
      {"seed", &P().leaf}, {"seed", &P().expired}, {"seed", &P().stranger}, {"seed", nullptr},
      {"open", &P().leaf}, {"open", &P().expired}, {"open", nullptr}};
  for (const auto& [policy, cert] : cases) {
    SCOPED_TRACE(policy + (cert ? " with a certificate" : " without a certificate"));
    const std::string pem = cert ? cert->pem() : "";
    v1::ValidateCertificateResponse v = Validate(policy, pem);
    CheckResponse c = Check({.policy = policy, .peer_pem = pem});
    if (v.decision() == v1::ALLOW) {
      EXPECT_EQ(c.status().code(), 0);
      EXPECT_EQ(Added(c)["x-certguard-reason"], v1::Reason_Name(v.reason()));
      EXPECT_EQ(Added(c)["x-certguard-revision"], v.revision());
      EXPECT_EQ(Added(c)["x-client-cert-sha256"], v.identity().sha256_thumbprint());
    } else {
      EXPECT_NE(c.status().code(), 0);
      nlohmann::json body = nlohmann::json::parse(c.denied_response().body());
      EXPECT_EQ(body["reason"], v1::Reason_Name(v.reason()));
      EXPECT_EQ(body["message"], v.message());
      EXPECT_EQ(c.status().message(), v.message());
    }
  }
}

// The Python example client (client/python) gets the same answers as the C++ client.
TEST_F(ExtAuthzServerTest, PythonClientGetsTheSameAnswers) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  const std::string dir = MakeTempDir("python");
  const std::string script = std::string(CERTGUARD_SOURCE_DIR) + "/client/python/certguard_client.py";
  const std::string protos = std::string(CERTGUARD_SOURCE_DIR) + "/proto";
  const std::vector<std::pair<std::string, const TestCert*>> cases = {
      {"seed", &P().leaf}, {"seed", &P().expired}, {"seed", nullptr}, {"open", nullptr}, {"nope", &P().leaf}};
  int n = 0;
  for (const auto& [policy, cert] : cases) {
    SCOPED_TRACE(policy + (cert ? " with a certificate" : " without a certificate"));
    std::vector<std::string> common = {"/usr/bin/python3", script,        "--target",
                                       server_->address(), "--proto_dir", protos};
    std::vector<std::string> tail = {"--policy", policy};
    if (cert) {
      const std::string file = absl::StrCat(dir, "/cert", n++, ".pem");
      WriteFile(file, cert->pem());
      tail.insert(tail.end(), {"--cert_file", file});
    }
    // Check.
    std::vector<std::string> argv = common;
    argv.push_back("check");
    argv.insert(argv.end(), tail.begin(), tail.end());
    std::string out;
    ASSERT_EQ(RunCommand(argv, &out), 0) << out;
    nlohmann::json py = nlohmann::json::parse(out);
    CheckResponse c = Check({.policy = policy, .peer_pem = cert ? cert->pem() : ""});
    EXPECT_EQ(py["status_code"], c.status().code());
    if (c.has_ok_response()) {
      nlohmann::json headers = nlohmann::json::object();
      for (const auto& [k, v] : Added(c)) headers[k] = v;
      EXPECT_EQ(py["headers"], headers);
    } else {
      EXPECT_EQ(py["http_status"], static_cast<int>(c.denied_response().status().code()));
      EXPECT_EQ(py["body"], nlohmann::json::parse(c.denied_response().body()));
    }
    // ValidateCertificate.
    argv = common;
    argv.push_back("validate");
    argv.insert(argv.end(), tail.begin(), tail.end());
    const int rc = RunCommand(argv, &out);
    py = nlohmann::json::parse(out);
    if (policy == "nope") {
      EXPECT_EQ(rc, 2);
      EXPECT_EQ(py["rpc_error"], "NOT_FOUND");
      continue;
    }
    ASSERT_EQ(rc, 0) << out;
    v1::ValidateCertificateResponse v = Validate(policy, cert ? cert->pem() : "");
    EXPECT_EQ(py["decision"], v1::Decision_Name(v.decision()));
    EXPECT_EQ(py["reason"], v1::Reason_Name(v.reason()));
    EXPECT_EQ(py["sha256"], v.identity().sha256_thumbprint());
    EXPECT_EQ(py["revision"], v.revision());
  }
}

// The --ext_authz_* flags reach the front end.
TEST(ExtAuthzFlagsTest, DefaultPolicyPrefixAndSourcesAreApplied) {
  ServerProcess server(ServerBinary(),
                       {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir, "--ext_authz_default_policy=seed",
                        "--ext_authz_header_prefix=x-mtls-", "--ext_authz_cert_sources=x-arr-clientcert",
                        "--ext_authz_remove_forwarded_headers=false", "--shutdown_grace=1s"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  // The peer certificate is not a configured source: the (expired) header decides.
  CheckResponse r = CheckOn(
      channel, EnvoyRequest({.peer_pem = P().leaf.pem(), .headers = {{"x-arr-clientcert", P().expired.base64_der()}}}));
  EXPECT_EQ(nlohmann::json::parse(r.denied_response().body())["reason"], "EXPIRED");
  EXPECT_EQ(nlohmann::json::parse(r.denied_response().body())["policy"], "seed");
  r = CheckOn(channel, EnvoyRequest({.headers = {{"x-arr-clientcert", P().leaf.base64_der()}}}));
  ASSERT_EQ(r.status().code(), 0) << r.DebugString();
  EXPECT_EQ(Added(r)["x-mtls-client-cert-sha256"], P().leaf.sha256_hex());
  EXPECT_EQ(Added(r)["x-mtls-certguard-policy"], "seed");
  EXPECT_TRUE(r.ok_response().headers_to_remove().empty());
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

TEST(ExtAuthzFlagsTest, DisabledFrontEndIsUnimplemented) {
  ServerProcess server(ServerBinary(),
                       {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir, "--ext_authz=false", "--shutdown_grace=1s"});
  ASSERT_TRUE(server.WaitReady()) << server.Stderr();
  auto stub = envoy::service::auth::v3::Authorization::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  CheckResponse response;
  EXPECT_EQ(stub->Check(&context, EnvoyRequest({.policy = "seed"}), &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

TEST(ExtAuthzFlagsTest, BadFlagValuesExitWithTheError) {
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir,
                                        "--ext_authz_cert_sources=peer,client-cert-chain"});
  EXPECT_EQ(server.Wait(), 2);
  EXPECT_THAT(server.Stderr(), HasSubstr("--ext_authz_cert_sources"));
  ServerProcess prefix(ServerBinary(),
                       {"--listen=127.0.0.1:0", "--policy_dir=" + P().dir, "--ext_authz_header_prefix=X_"});
  EXPECT_EQ(prefix.Wait(), 2);
  EXPECT_THAT(prefix.Stderr(), HasSubstr("--ext_authz_header_prefix"));
}

}  // namespace
}  // namespace certguard
