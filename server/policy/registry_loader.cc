#include "server/policy/registry_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/file_reader.h"
#include "server/common/utf8.h"
#include "server/policy/load_context.h"
#include "server/policy/policy_compiler.h"
#include "server/policy/yaml_to_proto.h"

namespace certguard::policy {
namespace fs = std::filesystem;

std::string LoadError::ToString() const {
  std::string out = file;
  if (!policy_id.empty()) absl::StrAppend(&out, ": policy '", policy_id, "'");
  absl::StrAppend(&out, ": ", message);
  return out;
}

std::string LoadResult::ErrorSummary() const {
  std::vector<std::string> lines;
  for (const LoadError& e : errors) lines.push_back(e.ToString());
  return absl::StrJoin(lines, "\n");
}

namespace {

// The most ChangedSinceRead reads of one file: more than any load reads (policy files and the
// files they reference), so a file past it has changed.
constexpr size_t kMaxChangeCheckBytes = std::max(kMaxPolicyFileBytes, LoadContext::kMaxReferencedFileBytes);

// Receives parse events and counts documents and aliases (nothing is built, nothing expanded).
class CountingHandler final : public YAML::EventHandler {
 public:
  size_t aliases = 0;
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++aliases; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Checks the event stream before any node is built:
// * yaml-cpp 0.7.0 (Debian 12) never terminates YAML::LoadAll on some inputs (e.g. a lone ",":
//   jbeder/yaml-cpp#1040), allocating without bound. Every real document consumes at least one
//   byte, so a parser that yields more documents than the text has bytes is stuck: refuse it.
// * Aliases: each one may stand for a whole subtree, so a few KB of nested aliases expand to
//   billions of values (CVE-2019-11253, the "billion laughs" that took Kubernetes' API server
//   down). A policy file needs few; more than kMaxYamlAliases is refused (and the conversion
//   has its own budget of values, yaml_to_proto.h).
absl::Status CheckStructure(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  CountingHandler handler;
  size_t documents = 0;
  while (parser.HandleNextDocument(handler)) {
    if (++documents > text.size() + 1) {
      return absl::InvalidArgumentError("invalid YAML: the document structure cannot be parsed");
    }
    if (handler.aliases > kMaxYamlAliases) {
      return absl::InvalidArgumentError(absl::StrCat(
          "more than ", kMaxYamlAliases, " YAML aliases (*name): refused, as aliases can expand without bound"));
    }
  }
  return absl::OkStatus();
}

// The paths of `read` (path -> SHA-256 of what a load read) whose content differs now, or that
// can no longer be read.
std::vector<std::string> ChangedSinceRead(const std::map<std::string, std::string>& read) {
  std::vector<std::string> changed;
  for (const auto& [path, digest] : read) {
    // A file that grew past what any load reads has changed too.
    absl::StatusOr<std::string> text = common::ReadFile(path, kMaxChangeCheckBytes);
    if (!text.ok() || Sha256Hex(*text) != digest) changed.push_back(path);
  }
  return changed;
}

// At most kMaxLoadErrors errors of at most kMaxLoadErrorBytes each: a broken file must not turn
// into megabytes of log line and RPC answer.
void BoundErrors(const std::string& policy_dir, std::vector<LoadError>* errors) {
  for (LoadError& e : *errors) {
    if (e.message.size() > kMaxLoadErrorBytes)
      e.message = std::string(common::Utf8Prefix(e.message, kMaxLoadErrorBytes)) + "…";
  }
  if (errors->size() >= kMaxLoadErrors) {
    errors->resize(kMaxLoadErrors);
    errors->push_back(
        {policy_dir, "", absl::StrCat("further errors not shown (at most ", kMaxLoadErrors, " are reported)")});
  }
}

}  // namespace

void LoadPolicyText(const std::string& text, const std::string& file, LoadContext* context,
                    std::vector<CompiledPolicyPtr>* policies, std::vector<LoadError>* errors) {
  // yaml-cpp reports syntax errors by exception; this is the one place they are caught.
  std::vector<YAML::Node> documents;
  try {
    if (absl::Status s = CheckStructure(text); !s.ok()) {
      errors->push_back({file, "", std::string(s.message())});
      return;
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    errors->push_back({file, "", absl::StrCat("invalid YAML: ", e.what())});
    return;
  }
  int index = 0;
  size_t budget = kMaxFileValues;  // values every policy of the file may set, aliases expanded
  for (const YAML::Node& doc : documents) {
    if (doc.IsNull()) continue;
    std::vector<std::pair<YAML::Node, std::string>> items;  // (policy node, path)
    if (doc.IsMap() && doc["policies"]) {
      if (doc.size() != 1) {
        errors->push_back({file, "", "a file with `policies:` must have no other top-level keys"});
        continue;
      }
      const YAML::Node list = doc["policies"];
      if (!list.IsSequence()) {
        errors->push_back({file, "", "policies: expected a list of policies"});
        continue;
      }
      for (size_t i = 0; i < list.size(); ++i) items.emplace_back(list[i], absl::StrCat("policies[", i, "]"));
    } else if (doc.IsMap()) {
      items.emplace_back(doc, "");
    } else if (doc.IsSequence()) {
      for (size_t i = 0; i < doc.size(); ++i) items.emplace_back(doc[i], absl::StrCat("[", i, "]"));
    } else {
      errors->push_back({file, "", "expected a policy, a list of policies, or `policies: [...]`"});
      continue;
    }
    for (auto& [node, path] : items) {
      ++index;
      if (errors->size() >= kMaxLoadErrors) return;  // LoadRegistry says how many were left out
      v1::Policy proto;
      std::string id;
      if (node.IsMap() && node["id"] && node["id"].IsScalar()) id = node["id"].Scalar();
      absl::Status s;
      try {
        s = YamlToMessage(node, &proto, path, &budget);
      } catch (const YAML::Exception& e) {
        s = absl::InvalidArgumentError(absl::StrCat(path, ": ", e.what()));
      }
      if (!s.ok()) {
        errors->push_back({file, id, std::string(s.message())});
        continue;
      }
      auto compiled = CompilePolicy(proto, file, context);
      if (!compiled.ok()) {
        errors->push_back({file, id, std::string(compiled.status().message())});
        continue;
      }
      policies->push_back(*std::move(compiled));
    }
  }
  if (index == 0) errors->push_back({file, "", "the file holds no policy"});
}

LoadResult LoadRegistry(const std::string& policy_dir, absl::Time loaded_at) {
  LoadResult result;
  std::error_code ec;
  if (!fs::is_directory(policy_dir, ec)) {
    result.errors.push_back({policy_dir, "", "not a readable directory"});
    return result;
  }
  std::vector<fs::path> files;
  fs::directory_iterator it(policy_dir, ec);
  if (ec) {
    result.errors.push_back({policy_dir, "", absl::StrCat("cannot list: ", ec.message())});
    return result;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const std::string lower = absl::AsciiStrToLower(name);
    if (!absl::EndsWith(lower, ".yaml") && !absl::EndsWith(lower, ".yml")) continue;
    if (!fs::is_regular_file(it->path(), ec)) continue;  // follows symlinks
    files.push_back(it->path());
  }
  if (ec) {
    result.errors.push_back({policy_dir, "", absl::StrCat("cannot list: ", ec.message())});
    return result;
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    result.errors.push_back({policy_dir, "", "no policy files (*.yaml, *.yml)"});
    return result;
  }

  LoadContext context;
  std::vector<CompiledPolicyPtr> policies;
  std::string revision_material;
  std::map<std::string, std::string> policy_file_digests;  // path -> SHA-256 of what was read
  for (const fs::path& path : files) {
    const std::string file = path.string();
    absl::StatusOr<std::string> read = common::ReadFile(file, kMaxPolicyFileBytes);
    if (!read.ok()) {
      result.errors.push_back({file, "",
                               absl::IsResourceExhausted(read.status())
                                   ? absl::StrCat("larger than ", kMaxPolicyFileBytes, " bytes")
                                   : absl::StrCat("cannot read: ", read.status().message())});
      continue;
    }
    const std::string& text = *read;
    policy_file_digests[file] = Sha256Hex(text);
    absl::StrAppend(&revision_material, path.filename().string(), "\n", policy_file_digests[file], "\n");
    LoadPolicyText(text, file, &context, &policies, &result.errors);
  }
  std::set<std::string> seen;
  for (const auto& p : policies) {
    if (!seen.insert(p->id).second) {
      result.errors.push_back({p->source_file, p->id, "id: duplicate policy id"});
    }
  }
  if (!result.errors.empty()) {
    BoundErrors(policy_dir, &result.errors);
    return result;
  }
  // A file that no longer holds what was read from it is being written: what was read may be
  // a prefix of it (a policy cut before its identity pins). Nothing read from it is published.
  std::map<std::string, std::string> read = policy_file_digests;
  read.insert(context.file_digests().begin(), context.file_digests().end());
  if (std::vector<std::string> changed = ChangedSinceRead(read); !changed.empty()) {
    result.errors.push_back(
        {policy_dir, "",
         absl::StrCat("files changed while they were read, not loaded (write policy files by atomic rename): ",
                      absl::StrJoin(changed, ", "))});
    return result;
  }
  for (const std::string& digest : context.FileDigests()) absl::StrAppend(&revision_material, digest, "\n");
  result.registry = std::make_shared<const Registry>(std::move(policies), Sha256Hex(revision_material).substr(0, 16),
                                                     loaded_at, policy_dir, context.FilePaths());
  return result;
}

}  // namespace certguard::policy
