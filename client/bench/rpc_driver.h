// The RPCs certguard-bench can drive, behind one interface: requests serialized once (one per
// corpus value) sent over a set of channels with gRPC's generic callback stub; of each answer
// only the allow/deny field is read (a full parse would cost the generator more than some of
// the calls cost the server). Thread-safe: Start() may be called from any thread, including
// from a completion callback.
#ifndef CERTGUARD_CLIENT_BENCH_RPC_DRIVER_H_
#define CERTGUARD_CLIENT_BENCH_RPC_DRIVER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace certguard::bench {

enum class Rpc { kValidate, kExtAuthz, kHealth };

// "validate" | "extauthz" | "health"; false when unknown.
bool ParseRpc(const std::string& name, Rpc* rpc);

struct DriverOptions {
  Rpc rpc = Rpc::kValidate;
  std::string policy = "bench";
  std::string header_name = "X-ARR-ClientCert";
  std::chrono::milliseconds timeout{5000};
};

// `denied`: the RPC succeeded but the decision was DENY (a harness misconfiguration when
// benchmarking the ALLOW path, so it is reported separately).
using DoneFn = std::function<void(const grpc::Status& status, bool denied)>;

class RpcDriver {
 public:
  virtual ~RpcDriver() = default;
  // Starts one call on channel `channel` with corpus value `index % corpus size`; `done` runs
  // once on a gRPC thread.
  virtual void Start(size_t channel, size_t index, DoneFn done) = 0;
};

// `corpus`: header values (one per request). For extauthz each value is sent as Envoy sends
// the TLS peer certificate: attributes.source.certificate = URL-encoded PEM (a base64-DER or
// PEM-body value is wrapped into PEM first), context_extensions{certguard_policy: policy},
// scheme https, path "/".
std::unique_ptr<RpcDriver> MakeDriver(const DriverOptions& options,
                                      std::vector<std::shared_ptr<grpc::Channel>> channels,
                                      const std::vector<std::string>& corpus);

// PEM for a header value: kept when it already holds "-----BEGIN", else treated as base64 DER
// (or a PEM body) and wrapped in 64-column lines with CERTIFICATE markers.
std::string ToPem(const std::string& value);
// Percent-encodes everything outside [A-Za-z0-9-._~].
std::string UrlEncode(const std::string& in);

}  // namespace certguard::bench

#endif  // CERTGUARD_CLIENT_BENCH_RPC_DRIVER_H_
