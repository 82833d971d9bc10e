// A loopback HTTP server that misbehaves as an OCSP responder (or any server certguard fetches
// from) can: it reads the request, then per Mode streams an endless body, announces a huge
// Content-Length, drips one byte every `interval`, or answers `reply` as given. It serves one
// connection at a time, until the client closes it, and counts the body bytes it managed to send.
#ifndef CERTGUARD_TESTS_TESTING_HOSTILE_RESPONDER_H_
#define CERTGUARD_TESTS_TESTING_HOSTILE_RESPONDER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/time/time.h"

namespace certguard::testing {

class HostileResponder {
 public:
  enum class Mode { kEndlessBody, kHugeContentLength, kDrip, kReply };
  explicit HostileResponder(Mode mode, absl::Duration interval = absl::Milliseconds(50), std::string reply = "");
  ~HostileResponder();

  std::string url() const;  // "http://127.0.0.1:PORT/"
  int port() const { return port_; }
  int64_t bytes_sent() const { return bytes_sent_.load(); }
  int connections() const { return connections_.load(); }

 private:
  void Serve();
  void Handle(int fd);

  const Mode mode_;
  const absl::Duration interval_;
  const std::string reply_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> bytes_sent_{0};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_HOSTILE_RESPONDER_H_
