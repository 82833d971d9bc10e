// Starts the real certguard-server binary as a child process for integration tests, waits for
// its "listening on ADDRESS" line, and stops it with a signal. Ports are always 0 (picked by
// the kernel) so tests never collide.
#ifndef CERTGUARD_TESTS_TESTING_SERVER_PROCESS_H_
#define CERTGUARD_TESTS_TESTING_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace certguard::testing {

class ServerProcess {
 public:
  // Runs `binary` with `args`; stdout/stderr go to files under a temp dir. For the server
  // binary, --metrics_listen=127.0.0.1:0 and --admin_listen=127.0.0.1:0 come first (args may
  // override them), so parallel servers never fight over the default metrics and admin ports.
  ServerProcess(std::string binary, std::vector<std::string> args);
  ~ServerProcess();  // SIGKILLs a still-running child

  // Waits up to `timeout_seconds` for the first "listening on" line; false on timeout/exit.
  bool WaitReady(int timeout_seconds = 30);
  // Every address the server reported, in order.
  const std::vector<std::string>& addresses() const { return addresses_; }
  const std::string& address() const { return addresses_.at(0); }
  // "host:port" of the metrics endpoint from the "metrics at http://…/metrics" line, or "".
  std::string metrics_address() const;
  // The admin listener's address from the "admin API at …" line (printed before the "listening
  // on" lines), or "".
  std::string admin_address() const;

  // Sends `signal`; returns nothing. Use Wait() for the exit code.
  void Signal(int signal);
  // Waits for exit; returns the exit status (or 128+signal), -1 on timeout.
  int Wait(int timeout_seconds = 30);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  std::string stdout_path_, stderr_path_;
  std::vector<std::string> addresses_;
};

// Runs a command to completion; returns its exit code and captures stdout.
int RunCommand(const std::vector<std::string>& argv, std::string* stdout_text, int timeout_seconds = 60);

// Paths of the built binaries (set by tests/CMakeLists.txt).
std::string ServerBinary();
std::string CliBinary();

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_SERVER_PROCESS_H_
