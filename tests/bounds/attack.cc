#include "tests/bounds/attack.h"

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/testing/server_process.h"

namespace certguard::bounds {

int64_t StatusKib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream value(line.substr(field.size() + 1));
      int64_t kib = -1;
      value >> kib;
      return kib;
    }
  }
  return -1;
}

int OpenDescriptors(pid_t pid) {
  DIR* dir = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

int64_t WaitForRssAtMost(pid_t pid, int64_t kib, int polls) {
  int64_t rss = StatusKib(pid, "VmRSS");
  for (int i = 0; i < polls && rss > kib; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rss = StatusKib(pid, "VmRSS");
  }
  return rss;
}

std::vector<std::string> AttackCommand(int port, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/python3", std::string(CERTGUARD_SOURCE_DIR) + "/tests/bounds/h2_attack.py",
                                   "--port", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

AttackResult RunAttack(int port, const std::vector<std::string>& args) {
  AttackResult result;
  result.exit_code = testing::RunCommand(AttackCommand(port, args), &result.output, 300);
  const nlohmann::json json = nlohmann::json::parse(result.output, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return result;
  result.opened = json.value("opened", 0);
  result.refused = json.value("refused", 0);
  result.streams = json.value("streams", 0);
  result.goaway = json.value("goaway", 0);
  result.bytes_sent = json.value("bytes_sent", int64_t{0});
  return result;
}

int PortOf(const std::string& address) { return std::stoi(address.substr(address.rfind(':') + 1)); }

}  // namespace certguard::bounds
