// Compiles one policy proto (as read from a file) into a CompiledPolicy: fills defaults,
// validates every field, loads and shares trust material, builds the rules.
#ifndef CERTGUARD_SERVER_POLICY_POLICY_COMPILER_H_
#define CERTGUARD_SERVER_POLICY_POLICY_COMPILER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certguard/v1/policy.pb.h"
#include "server/policy/compiled_policy.h"
#include "server/policy/load_context.h"

namespace certguard::policy {

// Errors are InvalidArgument/NotFound with a message that starts with the field path,
// e.g. "trust.anchor_files[0]: cannot read /x/ca.pem". Relative file paths resolve against
// the directory of `source_file`.
absl::StatusOr<CompiledPolicyPtr> CompilePolicy(const v1::Policy& policy, const std::string& source_file,
                                                LoadContext* context);

// True for ids made of [A-Za-z0-9._-], 1..128 characters.
bool IsValidPolicyId(absl::string_view id);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_POLICY_COMPILER_H_
