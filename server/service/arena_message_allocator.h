// A gRPC callback-API MessageAllocator that places each call's request and response on one
// protobuf Arena (with a first block inside the holder), so parsing a nested request and
// building a response cost no per-field heap allocation and are freed at once. For methods
// whose messages have many small sub-messages (Envoy's CheckRequest / CheckResponse).
// Thread-safe (stateless).
#ifndef CERTGUARD_SERVER_SERVICE_ARENA_MESSAGE_ALLOCATOR_H_
#define CERTGUARD_SERVER_SERVICE_ARENA_MESSAGE_ALLOCATOR_H_

#include <grpcpp/support/message_allocator.h>

#include "google/protobuf/arena.h"

namespace certguard::service {

template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options(block_, sizeof(block_))) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options(char* block, size_t size) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = size;
      return options;
    }
    alignas(16) char block_[4096];
    google::protobuf::Arena arena_;  // declared after block_: destroyed before it
  };
};

}  // namespace certguard::service

#endif  // CERTGUARD_SERVER_SERVICE_ARENA_MESSAGE_ALLOCATOR_H_
