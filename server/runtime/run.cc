#include "server/runtime/run.h"

#include <signal.h>

#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/core/decision_engine.h"
#include "server/core/registry_reloader.h"
#include "server/policy/directory_watcher.h"
#include "server/policy/registry_loader.h"
#include "server/policy/registry_store.h"
#include "server/runtime/admin_server.h"
#include "server/runtime/descriptor_limit.h"
#include "server/runtime/observability_stack.h"
#include "server/runtime/server.h"

namespace certguard::runtime {

int CheckPolicies(const std::string& dir) {
  policy::LoadResult result = policy::LoadRegistry(dir, absl::Now());
  if (!result.ok()) {
    std::cerr << result.ErrorSummary() << "\n" << result.errors.size() << " error(s) in " << dir << "\n";
    return 1;
  }
  std::cout << dir << ": " << result.registry->policies().size() << " policies OK, revision "
            << result.registry->revision() << "\n";
  return 0;
}

int Run(const ResolvedConfig& config) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by every thread started below

  if (const size_t max = config.server.connections.max_connections; max > 0) {
    absl::StatusOr<size_t> descriptors = EnsureDescriptorLimit(max + kReservedDescriptors);
    if (!descriptors.ok()) {
      std::cerr << "certguard-server: " << descriptors.status().message() << "\n";
      return 2;
    }
  }
  const std::string& dir = config.policy_dir;
  policy::RegistryStore store;
  core::DecisionEngine engine(&store, core::SystemClock(), config.cache, config.certificate_cache_entries,
                              config.certificate_cache_bytes);
  core::RegistryReloader reloader(dir, &store, &engine.cache(), core::SystemClock());
  auto stack = ObservabilityStack::Start(config.observability, &engine, &reloader);
  if (!stack.ok()) {
    std::cerr << "certguard-server: " << stack.status().message() << "\n";
    return absl::IsInvalidArgument(stack.status()) ? 2 : 1;
  }
  if (const std::string metrics = (*stack)->metrics_address(); !metrics.empty()) {
    std::cout << "certguard-server: metrics at http://" << metrics << "/metrics" << std::endl;
  }

  // Listen first (health NOT_SERVING, policy calls UNAVAILABLE), then load the registry.
  auto server = Server::Start(config.server, &engine);
  if (!server.ok()) {
    std::cerr << "certguard-server: " << server.status().message() << "\n";
    return absl::IsInvalidArgument(server.status()) ? 2 : 1;
  }
  std::unique_ptr<AdminServer> admin;
  if (!config.admin.listen.empty()) {
    auto started = AdminServer::Start(config.admin, &store, &reloader);
    if (!started.ok()) {
      std::cerr << "certguard-server: admin listener: " << started.status().message() << "\n";
      return absl::IsInvalidArgument(started.status()) ? 2 : 1;
    }
    admin = *std::move(started);
  }
  core::RegistryReloader::Outcome initial = reloader.Reload("startup");
  if (!initial.ok) {
    std::cerr << "certguard-server: cannot load the policy registry from " << dir << ":\n"
              << absl::StrJoin(initial.errors, "\n") << "\n";
    return 1;
  }
  (*stack)->WatchConnections((*server)->listeners().counters());
  (*server)->SetServing(true);
  const auto registry = store.Current();
  if (admin != nullptr) std::cout << "certguard-server: admin API at " << admin->bound_address() << std::endl;
  for (const std::string& address : (*server)->bound_addresses()) {
    std::cout << "certguard-server: listening on " << address << " (" << registry->policies().size()
              << " policies, revision " << registry->revision() << ")" << std::endl;
  }
  log::Info("serving",
            {{"addresses", absl::StrJoin((*server)->bound_addresses(), ",")}, {"revision", registry->revision()}});

  std::unique_ptr<policy::DirectoryWatcher> watcher;
  if (config.watch_interval > absl::ZeroDuration()) {
    watcher = std::make_unique<policy::DirectoryWatcher>(
        dir,
        [&store] {
          policy::RegistryPtr r = store.Current();
          return r ? r->referenced_files() : std::vector<std::string>{};
        },
        [&reloader] { reloader.Reload("watch"); }, config.watch_interval);
  }

  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      reloader.Reload("SIGHUP");
      continue;
    }
    log::Info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                                {"grace", absl::FormatDuration(config.shutdown_grace)}});
    const absl::Time started = absl::Now();
    watcher.reset();
    if (admin != nullptr) admin->Shutdown(started + config.shutdown_grace);
    (*server)->Shutdown(started + config.shutdown_grace);
    (*server)->Wait();
    log::Info("stopped", {{"took", absl::FormatDuration(absl::Trunc(absl::Now() - started, absl::Milliseconds(1)))}});
    return 0;
  }
}

}  // namespace certguard::runtime
