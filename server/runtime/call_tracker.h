// Counts the server's in-flight calls (a gRPC server interceptor) so a drain can end as soon
// as the last one finishes: gRPC itself also waits for every idle client connection to go away,
// which holds a shutdown for the whole grace period while any client keeps a channel open.
// Long-lived streams (health Watch, reflection) are not counted: they never finish on their own.
// Thread-safe.
#ifndef CERTGUARD_SERVER_RUNTIME_CALL_TRACKER_H_
#define CERTGUARD_SERVER_RUNTIME_CALL_TRACKER_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include <grpcpp/support/server_interceptor.h>

namespace certguard::runtime {

class CallTracker {
 public:
  int64_t in_flight() const { return in_flight_.load(); }
  // A factory for ServerBuilder::experimental().SetInterceptorCreators; `this` must outlive
  // the server.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

 private:
  friend class CountingInterceptor;
  std::atomic<int64_t> in_flight_{0};
};

// True for methods that stream until the client or the server ends them.
bool IsLongLivedMethod(const char* method);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_CALL_TRACKER_H_
