#include "server/runtime/call_tracker.h"

#include <cstring>

namespace certguard::runtime {

bool IsLongLivedMethod(const char* method) {
  if (method == nullptr) return true;
  return std::strcmp(method, "/grpc.health.v1.Health/Watch") == 0 ||
         std::strncmp(method, "/grpc.reflection.", 17) == 0;
}

// Alive exactly as long as its call: gRPC deletes interceptors with the call.
class CountingInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CountingInterceptor(CallTracker* tracker) : tracker_(tracker) { tracker_->in_flight_.fetch_add(1); }
  ~CountingInterceptor() override { tracker_->in_flight_.fetch_sub(1); }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override { methods->Proceed(); }

 private:
  CallTracker* tracker_;
};

namespace {

class CountingFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CountingFactory(CallTracker* tracker) : tracker_(tracker) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    if (IsLongLivedMethod(info->method())) return nullptr;
    return new CountingInterceptor(tracker_);
  }

 private:
  CallTracker* tracker_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> CallTracker::InterceptorFactory() {
  return std::make_unique<CountingFactory>(this);
}

}  // namespace certguard::runtime
