#include "client/bench/rpc_driver.h"

#include "client/common/percent_encode.h"

#include <utility>

#include "certguard/v1/validator.grpc.pb.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace certguard::bench {
namespace {

namespace auth = ::envoy::service::auth::v3;
namespace health = ::grpc::health::v1;

std::chrono::system_clock::time_point Deadline(std::chrono::milliseconds timeout) {
  return std::chrono::system_clock::now() + timeout;
}

template <typename Response>
struct Call {
  grpc::ClientContext context;
  Response response;
  DoneFn done;
};

class ValidateDriver : public RpcDriver {
 public:
  ValidateDriver(const DriverOptions& options, std::vector<std::shared_ptr<grpc::Channel>> channels,
                 const std::vector<std::string>& corpus)
      : timeout_(options.timeout) {
    for (auto& c : channels) stubs_.push_back(v1::CertificateValidator::NewStub(c));
    for (const std::string& value : corpus) {
      v1::ValidateCertificateRequest r;
      r.set_policy_id(options.policy);
      r.set_header_name(options.header_name);
      r.set_header_value(value);
      r.set_path("/");
      r.set_caller("certguard-bench");
      requests_.push_back(std::move(r));
    }
  }
  void Start(size_t channel, size_t index, DoneFn done) override {
    auto* call = new Call<v1::ValidateCertificateResponse>;
    call->done = std::move(done);
    call->context.set_deadline(Deadline(timeout_));
    stubs_[channel % stubs_.size()]->async()->ValidateCertificate(
        &call->context, &requests_[index % requests_.size()], &call->response, [call](grpc::Status s) {
          const bool denied = s.ok() && call->response.decision() != v1::ALLOW;
          call->done(s, denied);
          delete call;
        });
  }

 private:
  std::chrono::milliseconds timeout_;
  std::vector<std::unique_ptr<v1::CertificateValidator::Stub>> stubs_;
  std::vector<v1::ValidateCertificateRequest> requests_;
};

class ExtAuthzDriver : public RpcDriver {
 public:
  ExtAuthzDriver(const DriverOptions& options, std::vector<std::shared_ptr<grpc::Channel>> channels,
                 const std::vector<std::string>& corpus)
      : timeout_(options.timeout) {
    for (auto& c : channels) stubs_.push_back(auth::Authorization::NewStub(c));
    for (const std::string& value : corpus) {
      auth::CheckRequest r;
      auto* attributes = r.mutable_attributes();
      attributes->mutable_source()->set_certificate(UrlEncode(ToPem(value)));
      (*attributes->mutable_context_extensions())["certguard_policy"] = options.policy;
      auto* http = attributes->mutable_request()->mutable_http();
      http->set_method("GET");
      http->set_scheme("https");
      http->set_path("/");
      http->set_host("bench.example");
      http->set_protocol("HTTP/1.1");
      requests_.push_back(std::move(r));
    }
  }
  void Start(size_t channel, size_t index, DoneFn done) override {
    auto* call = new Call<auth::CheckResponse>;
    call->done = std::move(done);
    call->context.set_deadline(Deadline(timeout_));
    stubs_[channel % stubs_.size()]->async()->Check(
        &call->context, &requests_[index % requests_.size()], &call->response, [call](grpc::Status s) {
          const bool denied = s.ok() && call->response.status().code() != 0;
          call->done(s, denied);
          delete call;
        });
  }

 private:
  std::chrono::milliseconds timeout_;
  std::vector<std::unique_ptr<auth::Authorization::Stub>> stubs_;
  std::vector<auth::CheckRequest> requests_;
};

class HealthDriver : public RpcDriver {
 public:
  HealthDriver(const DriverOptions& options, std::vector<std::shared_ptr<grpc::Channel>> channels)
      : timeout_(options.timeout) {
    for (auto& c : channels) stubs_.push_back(health::Health::NewStub(c));
  }
  void Start(size_t channel, size_t, DoneFn done) override {
    auto* call = new Call<health::HealthCheckResponse>;
    call->done = std::move(done);
    call->context.set_deadline(Deadline(timeout_));
    stubs_[channel % stubs_.size()]->async()->Check(
        &call->context, &request_, &call->response, [call](grpc::Status s) {
          const bool denied = s.ok() && call->response.status() != health::HealthCheckResponse::SERVING;
          call->done(s, denied);
          delete call;
        });
  }

 private:
  std::chrono::milliseconds timeout_;
  std::vector<std::unique_ptr<health::Health::Stub>> stubs_;
  health::HealthCheckRequest request_;  // service "" = the whole server
};

}  // namespace

bool ParseRpc(const std::string& name, Rpc* rpc) {
  if (name == "validate") {
    *rpc = Rpc::kValidate;
  } else if (name == "extauthz" || name == "check") {
    *rpc = Rpc::kExtAuthz;
  } else if (name == "health") {
    *rpc = Rpc::kHealth;
  } else {
    return false;
  }
  return true;
}

std::unique_ptr<RpcDriver> MakeDriver(const DriverOptions& options,
                                      std::vector<std::shared_ptr<grpc::Channel>> channels,
                                      const std::vector<std::string>& corpus) {
  switch (options.rpc) {
    case Rpc::kValidate:
      return std::make_unique<ValidateDriver>(options, std::move(channels), corpus);
    case Rpc::kExtAuthz:
      return std::make_unique<ExtAuthzDriver>(options, std::move(channels), corpus);
    case Rpc::kHealth:
      return std::make_unique<HealthDriver>(options, std::move(channels));
  }
  return nullptr;
}

std::string ToPem(const std::string& value) {
  if (value.find("-----BEGIN") != std::string::npos) return value;
  std::string body;
  for (char c : value) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') body += c;
  }
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  pem += "-----END CERTIFICATE-----\n";
  return pem;
}

std::string UrlEncode(const std::string& in) { return client::PercentEncodeAll(in); }

}  // namespace certguard::bench
