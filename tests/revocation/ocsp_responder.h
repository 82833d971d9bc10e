// Test helper: a real OCSP responder (`openssl ocsp -port 0`) on loopback, driven by an
// index.txt written from CertFactory serials, plus sockets that refuse or stall connections.
// Header-only so the revocation test binary needs no extra sources.
#ifndef CERTGUARD_TESTS_REVOCATION_OCSP_RESPONDER_H_
#define CERTGUARD_TESTS_REVOCATION_OCSP_RESPONDER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/testing/cert_factory.h"

namespace certguard::testing {

// One index.txt line per serial: revoked when `revoked_at` is set.
struct OcspIndexEntry {
  std::string serial_hex;  // upper-case, as CertSpec::serial_hex
  std::string subject;     // "/CN=..." (any unique text)
  std::optional<absl::Time> revoked_at;
};

inline std::string IndexTime(absl::Time t) { return absl::FormatTime("%y%m%d%H%M%SZ", t, absl::UTCTimeZone()); }

class OcspResponder {
 public:
  // Starts `openssl ocsp` answering for `ca` (the issuer of the certificates asked about),
  // signing with `signer`. `next_update_minutes` > 0 adds -nmin (nextUpdate = now + N min).
  OcspResponder(const TestCert& ca, const TestCert& signer, const std::vector<OcspIndexEntry>& entries,
                int next_update_minutes) {
    dir_ = MakeTempDir("ocsp-responder");
    std::string index;
    for (const auto& e : entries) {
      absl::StrAppend(&index, e.revoked_at ? "R" : "V", "\t", IndexTime(absl::FromUnixSeconds(2000000000)), "\t",
                      e.revoked_at ? IndexTime(*e.revoked_at) : "", "\t", e.serial_hex, "\tunknown\t", e.subject, "\n");
    }
    WriteFile(dir_ + "/index.txt", index);
    WriteFile(dir_ + "/index.txt.attr", "unique_subject = no\n");
    WriteFile(dir_ + "/ca.pem", ca.pem());
    WriteFile(dir_ + "/signer.pem", signer.pem());
    WriteFile(dir_ + "/signer.key", signer.key_pem());
    std::vector<std::string> args = {"openssl",  "ocsp",
                                     "-index",   dir_ + "/index.txt",
                                     "-port",    "0",
                                     "-rsigner", dir_ + "/signer.pem",
                                     "-rkey",    dir_ + "/signer.key",
                                     "-CA",      dir_ + "/ca.pem"};
    if (next_update_minutes > 0) {
      args.push_back("-nmin");
      args.push_back(absl::StrCat(next_update_minutes));
    }
    const std::string log = dir_ + "/responder.log";
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = freopen(log.c_str(), "w", stdout);
      if (f == nullptr) _exit(126);
      dup2(1, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp("openssl", argv.data());
      _exit(127);
    }
    // OpenSSL 3.0 prints "ACCEPT [::]:PORT PID=N" (or 0.0.0.0:PORT) once listening.
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      usleep(50 * 1000);
      FILE* in = fopen(log.c_str(), "r");
      char line[512];
      while (in != nullptr && fgets(line, sizeof(line), in) != nullptr) {
        std::string s(line);
        if (s.rfind("ACCEPT", 0) != 0) continue;
        const size_t space = s.find(' ', 7);
        const size_t colon = s.rfind(':', space);
        int port = 0;
        if (colon != std::string::npos && absl::SimpleAtoi(s.substr(colon + 1, space - colon - 1), &port)) {
          port_ = port;
        }
      }
      if (in != nullptr) fclose(in);
    }
  }
  ~OcspResponder() { Stop(); }
  OcspResponder(const OcspResponder&) = delete;
  OcspResponder& operator=(const OcspResponder&) = delete;

  int port() const { return port_; }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/"); }
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A loopback port with nothing listening (bound to port 0, then closed).
inline int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A listening loopback socket that never accepts: connections complete in the backlog and
// then no byte is ever answered (a responder that hangs).
class StallingListener {
 public:
  StallingListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~StallingListener() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_REVOCATION_OCSP_RESPONDER_H_
