// gRPC server reflection, on or off per server. Linking gRPC's reflection library registers its
// plugin for every server builder (a static initializer), so "off" has to take it out again.
#ifndef CERTGUARD_SERVER_RUNTIME_REFLECTION_H_
#define CERTGUARD_SERVER_RUNTIME_REFLECTION_H_

#include <vector>

#include <grpcpp/grpcpp.h>

#include "server/runtime/listen_address.h"

namespace certguard::runtime {

// kAuto: served only when every listener is local_only (loopback or a Unix socket), so a port
// reachable from other machines never lists the API unless the operator asks for it.
enum class ReflectionMode { kAuto, kOn, kOff };

// Whether a server on `addresses` serves reflection; logs why when kAuto leaves it off.
bool ReflectionOn(ReflectionMode mode, const std::vector<ListenAddress>& addresses);

// Removes gRPC's reflection service from the server `builder` will build.
void WithoutReflection(grpc::ServerBuilder* builder);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_REFLECTION_H_
