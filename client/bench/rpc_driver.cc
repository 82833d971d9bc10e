#include "client/bench/rpc_driver.h"

#include <optional>
#include <utility>

#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/client_callback.h>

#include "absl/strings/string_view.h"
#include "certguard/v1/validator.grpc.pb.h"
#include "client/common/percent_encode.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace certguard::bench {
namespace {

namespace auth = ::envoy::service::auth::v3;
namespace health = ::grpc::health::v1;

std::chrono::system_clock::time_point Deadline(std::chrono::milliseconds timeout) {
  return std::chrono::system_clock::now() + timeout;
}

// A call's own state; the request bytes are shared (a ByteBuffer copy references them).
struct Call {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  DoneFn done;
};

// The varint field at `path` (field numbers from the top message down, every step but the last
// a length-delimited sub-message) of a serialized message: 0 when absent (the proto3 default),
// nullopt when the bytes are malformed. The last occurrence wins, as in a full parse.
std::optional<uint64_t> VarintAt(absl::string_view bytes, const std::vector<uint32_t>& path, size_t depth = 0) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  uint64_t found = 0;
  const bool last = depth + 1 == path.size();
  while (true) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return in.ConsumedEntireMessage() ? std::optional<uint64_t>(found) : std::nullopt;
    const uint32_t number = WireFormatLite::GetTagFieldNumber(tag);
    const WireFormatLite::WireType type = WireFormatLite::GetTagWireType(tag);
    if (number == path[depth] && last && type == WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&found)) return std::nullopt;
    } else if (number == path[depth] && !last && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      int size = 0;
      if (!in.ReadVarintSizeAsInt(&size)) return std::nullopt;
      absl::string_view inner_bytes;
      if (size > 0) {
        const void* data = nullptr;
        int available = 0;
        if (!in.GetDirectBufferPointer(&data, &available) || available < size) return std::nullopt;
        inner_bytes = absl::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
      }
      const std::optional<uint64_t> inner = VarintAt(inner_bytes, path, depth + 1);
      if (!inner || !in.Skip(size)) return std::nullopt;
      found = *inner;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return std::nullopt;
    }
  }
}

grpc::ByteBuffer Serialized(const google::protobuf::MessageLite& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

// Every RPC the same way: prebuilt request bytes on a method registered with each channel (as a
// generated stub does), and of the answer only the field that says allowed or not. A load
// generator that parsed every response in full would spend its core on that instead of on
// keeping the server busy.
class RawDriver : public RpcDriver {
 public:
  RawDriver(std::string method, std::vector<std::shared_ptr<grpc::Channel>> channels,
            std::vector<grpc::ByteBuffer> requests, std::vector<uint32_t> verdict_path, uint64_t allowed,
            std::chrono::milliseconds timeout)
      : method_(std::move(method)),
        requests_(std::move(requests)),
        verdict_path_(std::move(verdict_path)),
        allowed_(allowed),
        timeout_(timeout) {
    for (auto& c : channels) {
      methods_.emplace_back(method_.c_str(), grpc::internal::RpcMethod::NORMAL_RPC, c);
      channels_.push_back(std::move(c));
    }
  }

  void Start(size_t channel, size_t index, DoneFn done) override {
    auto* call = new Call;
    call->done = std::move(done);
    call->request = requests_[index % requests_.size()];
    call->context.set_deadline(Deadline(timeout_));
    const size_t c = channel % channels_.size();
    grpc::internal::CallbackUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
        channels_[c].get(), methods_[c], &call->context, &call->request, &call->response, [this, call](grpc::Status s) {
          bool denied = false;
          if (s.ok()) {
            grpc::Slice slice;
            if (!call->response.TrySingleSlice(&slice).ok()) (void)call->response.DumpToSingleSlice(&slice);
            const std::optional<uint64_t> verdict =
                VarintAt(absl::string_view(reinterpret_cast<const char*>(slice.begin()), slice.size()), verdict_path_);
            denied = !verdict.has_value() || *verdict != allowed_;
          }
          call->done(s, denied);
          delete call;
        });
  }

 private:
  const std::string method_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<grpc::internal::RpcMethod> methods_;  // one per channel, registered with it
  const std::vector<grpc::ByteBuffer> requests_;
  const std::vector<uint32_t> verdict_path_;
  const uint64_t allowed_;
  const std::chrono::milliseconds timeout_;
};

std::vector<grpc::ByteBuffer> ValidateRequests(const DriverOptions& options, const std::vector<std::string>& corpus) {
  std::vector<grpc::ByteBuffer> out;
  for (const std::string& value : corpus) {
    v1::ValidateCertificateRequest r;
    r.set_policy_id(options.policy);
    r.set_header_name(options.header_name);
    r.set_header_value(value);
    r.set_path("/");
    r.set_caller("certguard-bench");
    out.push_back(Serialized(r));
  }
  return out;
}

std::vector<grpc::ByteBuffer> CheckRequests(const DriverOptions& options, const std::vector<std::string>& corpus) {
  std::vector<grpc::ByteBuffer> out;
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
    out.push_back(Serialized(r));
  }
  return out;
}

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
    case Rpc::kValidate:  // ValidateCertificateResponse.decision (1) == ALLOW
      return std::make_unique<RawDriver>("/certguard.v1.CertificateValidator/ValidateCertificate", std::move(channels),
                                         ValidateRequests(options, corpus), std::vector<uint32_t>{1},
                                         static_cast<uint64_t>(v1::ALLOW), options.timeout);
    case Rpc::kExtAuthz:  // CheckResponse.status (1) .code (1) == OK
      return std::make_unique<RawDriver>("/envoy.service.auth.v3.Authorization/Check", std::move(channels),
                                         CheckRequests(options, corpus), std::vector<uint32_t>{1, 1}, 0,
                                         options.timeout);
    case Rpc::kHealth:  // HealthCheckResponse.status (1) == SERVING; service "" = the whole server
      return std::make_unique<RawDriver>("/grpc.health.v1.Health/Check", std::move(channels),
                                         std::vector<grpc::ByteBuffer>{Serialized(health::HealthCheckRequest())},
                                         std::vector<uint32_t>{1},
                                         static_cast<uint64_t>(health::HealthCheckResponse::SERVING), options.timeout);
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
