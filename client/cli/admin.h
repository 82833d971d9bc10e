// `certguard admin list|get|reload|status`: the operator's client of certguard.v1.RegistryAdmin,
// over the server's admin listener (--admin_target), so routine work needs no grpcurl.
#ifndef CERTGUARD_CLIENT_CLI_ADMIN_H_
#define CERTGUARD_CLIENT_CLI_ADMIN_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"

namespace certguard::client {

struct AdminCommand {
  std::string verb;       // list, get, reload, status
  std::string policy_id;  // get
  bool json = false;
  absl::Duration timeout = absl::Seconds(10);
};

// Runs `command` against `channel`, prints the answer on stdout (errors on stderr) and returns
// the exit status: 0 done, 1 a reload the server refused (load errors printed; the previous
// registry keeps serving), 2 a usage error or a failed call.
int RunAdmin(const AdminCommand& command, const std::shared_ptr<grpc::Channel>& channel);

}  // namespace certguard::client

#endif  // CERTGUARD_CLIENT_CLI_ADMIN_H_
