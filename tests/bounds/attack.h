// Helpers of the bounds tests: a process's memory from /proc, and the raw HTTP/2 attacker
// (h2_attack.py, run with Debian's /usr/bin/python3 and python3-h2).
#ifndef CERTGUARD_TESTS_BOUNDS_ATTACK_H_
#define CERTGUARD_TESTS_BOUNDS_ATTACK_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace certguard::bounds {

// A field of /proc/<pid>/status in KiB (VmRSS, VmHWM), -1 when unreadable.
int64_t StatusKib(pid_t pid, const std::string& field);
// Open file descriptors of `pid`.
int OpenDescriptors(pid_t pid);
// Polls (at most `polls` times, 100 ms apart) until `pid`'s VmRSS is at most `kib`; returns the
// last VmRSS read.
int64_t WaitForRssAtMost(pid_t pid, int64_t kib, int polls = 300);

struct AttackResult {
  int exit_code = -1;
  int opened = 0, refused = 0, streams = 0, goaway = 0;
  int64_t bytes_sent = 0;
  std::string output;
};
// Runs h2_attack.py against 127.0.0.1:`port` with `args` (e.g. {"--attack", "idle"}).
AttackResult RunAttack(int port, const std::vector<std::string>& args);
// The attack's command line, for running it in the background.
std::vector<std::string> AttackCommand(int port, const std::vector<std::string>& args);

int PortOf(const std::string& address);  // "127.0.0.1:41234" -> 41234

}  // namespace certguard::bounds

#endif  // CERTGUARD_TESTS_BOUNDS_ATTACK_H_
