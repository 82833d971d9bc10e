// Converts a YAML node into a protobuf message by reflection: keys are the message's field
// names, scalars are parsed by field type, enums by value name (case-insensitive). Unknown keys,
// wrong types and out-of-range numbers are errors naming the field path and YAML line.
#ifndef CERTGUARD_SERVER_POLICY_YAML_TO_PROTO_H_
#define CERTGUARD_SERVER_POLICY_YAML_TO_PROTO_H_

#include <string>

#include <google/protobuf/message.h>
#include <yaml-cpp/yaml.h>

#include "absl/status/status.h"

namespace certguard::policy {

// `path` prefixes error messages (e.g. "policies[2]"). A repeated string field given a single
// scalar becomes a one-element list; the field `exclusion_paths` also splits it on ',' and ';'.
// `budget`, when given, is the number of values (fields and list items, counted as aliases
// expand them) the conversion may still set; it is decremented, and the conversion fails once
// it is spent.
absl::Status YamlToMessage(const YAML::Node& node, google::protobuf::Message* message, const std::string& path,
                           size_t* budget = nullptr);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_YAML_TO_PROTO_H_
