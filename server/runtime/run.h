// The lives of one certguard-server process: Run serves until SIGTERM/SIGINT; CheckPolicies is
// the offline check of a policy directory. Both return the process's exit status.
#ifndef CERTGUARD_SERVER_RUNTIME_RUN_H_
#define CERTGUARD_SERVER_RUNTIME_RUN_H_

#include <string>

#include "server/runtime/server_config.h"

namespace certguard::runtime {

// Listens (health NOT_SERVING, policy calls UNAVAILABLE), loads the registry, then SERVING;
// reloads on SIGHUP and when the watcher sees a change; on SIGTERM/SIGINT NOT_SERVING, drains
// for config.shutdown_grace and returns 0. Prints the bound addresses and how to call them on
// stdout. 1 when the registry does not load at startup or the server cannot start, 2 for a
// setting the system refuses (descriptor limit, listen address, TLS files). Call from the main
// thread before any other thread starts: it blocks the signals it waits for.
int Run(const ResolvedConfig& config);

// Loads `policy_dir` as a reload would and prints every error (stderr) or a summary (stdout):
// 0 valid, 1 not.
int CheckPolicies(const std::string& policy_dir);

}  // namespace certguard::runtime

#endif  // CERTGUARD_SERVER_RUNTIME_RUN_H_
