#include "server/grpc/shared_bytes.h"

#include <utility>

#include <grpcpp/support/slice.h>

namespace certguard::rpc {

void WrapSharedBytes(std::shared_ptr<const std::string> bytes, grpc::ByteBuffer* out) {
  auto* owner = new std::shared_ptr<const std::string>(std::move(bytes));
  grpc::Slice slice(
      const_cast<char*>((*owner)->data()), (*owner)->size(),
      [](void* p) { delete static_cast<std::shared_ptr<const std::string>*>(p); }, owner);
  grpc::ByteBuffer wrapped(&slice, 1);  // takes a reference to the slice, copies nothing
  out->Swap(&wrapped);
}

}  // namespace certguard::rpc
