// A loopback HTTP server that reads requests and answers none of them until Release(). Used as
// the OCSP responder of a policy: every request it has read is a ValidateCertificate call that
// certguard's handler is working on, so a test knows for certain which calls are in flight
// (no sleeps). Once released, it answers every request, held or new, with 503, which a policy
// failing closed turns into DENY / REVOCATION_UNKNOWN. Thread-safe.
#ifndef CERTGUARD_TESTS_TESTING_HOLDING_RESPONDER_H_
#define CERTGUARD_TESTS_TESTING_HOLDING_RESPONDER_H_

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace certguard::testing {

class HoldingResponder {
 public:
  HoldingResponder();   // listens on 127.0.0.1, port 0
  ~HoldingResponder();  // releases, stops, closes every socket

  std::string url() const;  // "http://127.0.0.1:PORT/"
  // True once at least `n` requests have been read (false after `timeout`).
  bool WaitForRequests(int n, absl::Duration timeout);
  int requests();
  void Release();

 private:
  void Serve();
  void Answer(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;  // std::mutex: visible to ThreadSanitizer (Debian's abseil is not instrumented)
  std::condition_variable arrived_;
  int requests_ = 0;       // guarded by mu_
  bool released_ = false;  // guarded by mu_
  std::vector<int> held_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_HOLDING_RESPONDER_H_
