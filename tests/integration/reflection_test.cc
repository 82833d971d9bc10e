// gRPC server reflection (docs/api.md): by default served only when every listener is loopback or
// a Unix socket; a listener reachable from other machines turns it off unless --reflection=true.
#include <signal.h>

#include <condition_variable>
#include <mutex>

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "tests/testing/cert_factory.h"
#include "tests/testing/server_process.h"

namespace certguard {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::MakeTempDir;
using ::certguard::testing::ServerBinary;
using ::certguard::testing::ServerProcess;
using ::certguard::testing::WriteFile;
using ::testing::HasSubstr;

const std::string& PolicyDir() {
  static const std::string* dir = [] {
    auto* d = new std::string(MakeTempDir("reflection"));
    WriteFile(*d + "/root.pem", CertFactory::SelfSigned({.cn = "Reflection Root", .is_ca = true}).pem());
    WriteFile(*d + "/a.yaml", "id: a\ntrust: {anchor_files: [root.pem]}\n");
    return d;
  }();
  return *dir;
}

// One ServerReflectionInfo exchange asking for the list of services (list_services = ""), as a
// unary call: the status, and the answer's bytes when OK.
grpc::Status ListServices(const std::string& address, std::string* answer) {
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice slice(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  stub.UnaryCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  if (status.ok()) {
    grpc::Slice joined;
    if (response.DumpToSingleSlice(&joined).ok()) {
      answer->assign(reinterpret_cast<const char*>(joined.begin()), joined.size());
    }
  }
  return status;
}

// The listening address as a client on this machine reaches it (a wildcard becomes loopback).
std::string Reachable(const ServerProcess& server) {
  return absl::StrReplaceAll(server.address(), {{"0.0.0.0:", "127.0.0.1:"}});
}

struct Case {
  std::vector<std::string> flags;
  bool served;
};

TEST(ReflectionTest, ServedOnlyOnLocalListenersUnlessAskedFor) {
  const std::vector<Case> cases = {
      {{"--listen=127.0.0.1:0"}, true},
      {{"--listen=0.0.0.0:0"}, false},
      {{"--listen=127.0.0.1:0,0.0.0.0:0"}, false},
      {{"--listen=0.0.0.0:0", "--reflection=true"}, true},
      {{"--listen=127.0.0.1:0", "--reflection=false"}, false},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"--policy_dir=" + PolicyDir()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    ServerProcess server(ServerBinary(), args);
    ASSERT_TRUE(server.WaitReady()) << server.Stderr();
    std::string answer;
    const grpc::Status status = ListServices(Reachable(server), &answer);
    if (c.served) {
      EXPECT_TRUE(status.ok()) << c.flags.back() << ": " << status.error_message();
      EXPECT_THAT(answer, HasSubstr("certguard.v1.CertificateValidator")) << c.flags.back();
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << c.flags.back();
    }
    server.Signal(SIGTERM);
    EXPECT_EQ(server.Wait(), 0);
    if (c.flags.size() == 1 && !c.served) {
      EXPECT_THAT(server.Stderr(), HasSubstr("gRPC reflection off")) << c.flags.back();
    }
  }
}

TEST(ReflectionTest, AnUnknownValueIsAUsageError) {
  ServerProcess server(ServerBinary(), {"--listen=127.0.0.1:0", "--policy_dir=" + PolicyDir(), "--reflection=maybe"});
  EXPECT_EQ(server.Wait(), 2);
  EXPECT_THAT(server.Stderr(), HasSubstr("--reflection"));
}

}  // namespace
}  // namespace certguard
