#include "tests/testing/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "server/common/file_reader.h"
#include "tests/testing/cert_factory.h"

namespace certguard::testing {
namespace {

std::string ReadAll(const std::string& path) {
  absl::StatusOr<std::string> data = common::ReadFile(path);
  return data.ok() ? *std::move(data) : std::string();
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (o >= 0) dup2(o, 1);
  if (e >= 0) dup2(e, 2);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

int WaitPid(pid_t pid, int timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace

std::string ServerBinary() {
  const char* p = std::getenv("CERTGUARD_SERVER_BINARY");
  return p ? p : CERTGUARD_SERVER_BINARY;
}
std::string CliBinary() {
  const char* p = std::getenv("CERTGUARD_CLI_BINARY");
  return p ? p : CERTGUARD_CLI_BINARY;
}

ServerProcess::ServerProcess(std::string binary, std::vector<std::string> args) {
  const std::string dir = MakeTempDir("server");
  stdout_path_ = dir + "/stdout";
  stderr_path_ = dir + "/stderr";
  if (binary == ServerBinary()) {
    args.insert(args.begin(), {"--metrics_listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0"});
  }
  args.insert(args.begin(), std::move(binary));
  pid_ = Spawn(args, stdout_path_, stderr_path_);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitPid(pid_, 10);
  }
}

bool ServerProcess::WaitReady(int timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  const std::string marker = "listening on ";
  while (std::chrono::steady_clock::now() < deadline) {
    addresses_.clear();
    std::istringstream lines(ReadAll(stdout_path_));
    for (std::string line; std::getline(lines, line);) {
      const size_t at = line.find(marker);
      if (at == std::string::npos) continue;
      std::string rest = line.substr(at + marker.size());
      addresses_.push_back(rest.substr(0, rest.find(' ')));
    }
    if (!addresses_.empty()) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int ServerProcess::Wait(int timeout_seconds) {
  if (pid_ <= 0) return -1;
  int code = WaitPid(pid_, timeout_seconds);
  if (code != -1) pid_ = -1;
  return code;
}

std::string ServerProcess::metrics_address() const {
  const std::string marker = "metrics at http://";
  const std::string out = Stdout();
  const size_t at = out.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = at + marker.size();
  return out.substr(start, out.find('/', start) - start);
}

std::string ServerProcess::admin_address() const {
  const std::string marker = "admin API at ";
  const std::string out = Stdout();
  const size_t at = out.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = at + marker.size();
  return out.substr(start, out.find_first_of(" \n", start) - start);
}

std::string ServerProcess::Stdout() const { return ReadAll(stdout_path_); }
std::string ServerProcess::Stderr() const { return ReadAll(stderr_path_); }

int RunCommand(const std::vector<std::string>& argv, std::string* stdout_text, int timeout_seconds) {
  const std::string dir = MakeTempDir("cmd");
  pid_t pid = Spawn(argv, dir + "/stdout", dir + "/stderr");
  int code = WaitPid(pid, timeout_seconds);
  if (code == -1) {
    kill(pid, SIGKILL);
    WaitPid(pid, 5);
  }
  if (stdout_text != nullptr) *stdout_text = ReadAll(dir + "/stdout") + ReadAll(dir + "/stderr");
  return code;
}

}  // namespace certguard::testing
