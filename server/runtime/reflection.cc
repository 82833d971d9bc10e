#include "server/runtime/reflection.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>

#include "server/common/log.h"

namespace certguard::runtime {
namespace {

class WithoutReflectionOption final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin>& p) {
      return dynamic_cast<const grpc::reflection::ProtoServerReflectionPlugin*>(p.get()) != nullptr;
    });
  }
};

}  // namespace

bool ReflectionOn(ReflectionMode mode, const std::vector<ListenAddress>& addresses) {
  // Keeps the reflection library linked, so kOn has a plugin to serve.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (mode != ReflectionMode::kAuto) return mode == ReflectionMode::kOn;
  for (const ListenAddress& a : addresses) {
    if (!a.local_only) {
      log::Info("gRPC reflection off: a listener is reachable from other machines (--reflection=true serves it)",
                {{"address", a.address}});
      return false;
    }
  }
  return true;
}

void WithoutReflection(grpc::ServerBuilder* builder) {
  builder->SetOption(std::make_unique<WithoutReflectionOption>());
}

}  // namespace certguard::runtime
