#include "server/policy/load_context.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/common/file_reader.h"

namespace certguard::policy {

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

absl::StatusOr<std::string> LoadContext::ReadFile(const std::string& base_dir, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return absl::InvalidArgumentError("empty file path");
  fs::path resolved = fs::path(path).is_absolute() ? fs::path(path) : fs::path(base_dir) / path;
  absl::StatusOr<std::string> data = common::ReadFile(resolved.string(), kMaxReferencedFileBytes);
  if (absl::IsResourceExhausted(data.status())) return absl::InvalidArgumentError(data.status().message());
  if (!data.ok()) return data.status();
  file_digests_[resolved.lexically_normal().string()] = Sha256Hex(*data);
  return data;
}

absl::StatusOr<std::vector<x509::CertificatePtr>> LoadContext::LoadCertificates(const std::string& base_dir,
                                                                                const std::string& path) {
  const std::string key = absl::StrCat(base_dir, "\n", path);
  if (auto it = certificates_.find(key); it != certificates_.end()) return it->second;
  absl::StatusOr<std::string> data = ReadFile(base_dir, path);
  if (!data.ok()) return data.status();
  auto certs = x509::Certificate::FromPemBundle(*data);
  if (!certs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", certs.status().message()));
  }
  certificates_[key] = *certs;
  return *std::move(certs);
}

absl::StatusOr<std::vector<x509::CrlPtr>> LoadContext::LoadCrls(const std::string& base_dir, const std::string& path) {
  const std::string key = absl::StrCat(base_dir, "\n", path);
  if (auto it = crls_.find(key); it != crls_.end()) return it->second;
  absl::StatusOr<std::string> data = ReadFile(base_dir, path);
  if (!data.ok()) return data.status();
  auto crls = x509::Crl::Parse(*data);
  if (!crls.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", crls.status().message()));
  crls_[key] = *crls;
  return *std::move(crls);
}

absl::StatusOr<std::shared_ptr<const x509::TrustStore>> LoadContext::TrustStoreFor(
    const std::vector<x509::CertificatePtr>& anchors, const std::vector<x509::CertificatePtr>& intermediates,
    x509::AnchorOptions options) {
  std::string key = options.enforce_constraints ? "C" : "N";
  for (const auto& c : anchors) absl::StrAppend(&key, "A", c->info().sha256_hex);
  for (const auto& c : intermediates) absl::StrAppend(&key, "I", c->info().sha256_hex);
  if (auto it = stores_.find(key); it != stores_.end()) return it->second;
  auto store = x509::TrustStore::Create(anchors, intermediates, options);
  if (!store.ok()) return store.status();
  stores_[key] = *store;
  return *std::move(store);
}

std::vector<std::string> LoadContext::FileDigests() const {
  std::vector<std::string> out;
  for (const auto& [path, digest] : file_digests_) out.push_back(digest);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace certguard::policy

namespace certguard::policy {

std::vector<std::string> LoadContext::FilePaths() const {
  std::vector<std::string> out;
  for (const auto& [path, digest] : file_digests_) out.push_back(path);
  return out;
}

std::shared_ptr<const Rule> LoadContext::SharedRule(const std::string& key) const {
  auto it = rules_.find(key);
  return it == rules_.end() ? nullptr : it->second;
}

void LoadContext::RememberRule(const std::string& key, std::shared_ptr<const Rule> rule) {
  rules_.emplace(key, std::move(rule));
}

}  // namespace certguard::policy
