// `certguard evaluate`: decides one request offline, with the server's own decision core over a
// registry loaded from a policy directory, at a given time. Nothing is sent anywhere.
#ifndef CERTGUARD_CLIENT_CLI_EVALUATE_H_
#define CERTGUARD_CLIENT_CLI_EVALUATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "certguard/v1/validator.pb.h"

namespace certguard::client {

// The response certguard-server would give `request` with the registry of `policy_dir` at `at`.
// INVALID_ARGUMENT (with every error) when the directory does not load; the server's RPC-level
// errors otherwise (INVALID_ARGUMENT for an empty policy id, NOT_FOUND for an unknown one).
absl::StatusOr<v1::ValidateCertificateResponse> EvaluateOffline(const std::string& policy_dir,
                                                                const v1::ValidateCertificateRequest& request,
                                                                absl::Time at);

}  // namespace certguard::client

#endif  // CERTGUARD_CLIENT_CLI_EVALUATE_H_
