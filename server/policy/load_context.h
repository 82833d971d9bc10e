// State of one registry load: reads files referenced by policies, parses each certificate
// bundle and CRL file once, and shares one TrustStore between policies that name the same
// anchors and intermediates. Records every file read so the revision covers them.
// Not thread-safe; one per load.
#ifndef CERTGUARD_SERVER_POLICY_LOAD_CONTEXT_H_
#define CERTGUARD_SERVER_POLICY_LOAD_CONTEXT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/policy/rule.h"
#include "server/x509/certificate.h"
#include "server/x509/crl.h"
#include "server/x509/trust_store.h"

namespace certguard::policy {

class LoadContext {
 public:
  // Largest file a policy may reference (CA bundles, CRLs).
  static constexpr size_t kMaxReferencedFileBytes = 16 << 20;

  // Reads `path` (relative paths resolve against `base_dir`) and records its hash.
  absl::StatusOr<std::string> ReadFile(const std::string& base_dir, const std::string& path);
  absl::StatusOr<std::vector<x509::CertificatePtr>> LoadCertificates(const std::string& base_dir,
                                                                     const std::string& path);
  absl::StatusOr<std::vector<x509::CrlPtr>> LoadCrls(const std::string& base_dir, const std::string& path);
  // One shared store per distinct (anchors, intermediates, anchor options), keyed by
  // certificate hashes.
  absl::StatusOr<std::shared_ptr<const x509::TrustStore>> TrustStoreFor(
      const std::vector<x509::CertificatePtr>& anchors, const std::vector<x509::CertificatePtr>& intermediates,
      x509::AnchorOptions options);

  // SHA-256 of every file read, sorted (content only, so the revision does not depend on
  // where the registry is mounted).
  std::vector<std::string> FileDigests() const;
  // Resolved paths of every file read.
  std::vector<std::string> FilePaths() const;
  // Every referenced file read so far: resolved path -> hex SHA-256 of what was read.
  const std::map<std::string, std::string>& file_digests() const { return file_digests_; }
  size_t trust_store_count() const { return stores_.size(); }

  // Rules compiled earlier in this load, by a key naming the rule kind and its configuration;
  // null when none.
  std::shared_ptr<const Rule> SharedRule(const std::string& key) const;
  void RememberRule(const std::string& key, std::shared_ptr<const Rule> rule);

 private:
  std::map<std::string, std::string> file_digests_;  // resolved path -> hex SHA-256
  std::map<std::string, std::vector<x509::CertificatePtr>> certificates_;
  std::map<std::string, std::vector<x509::CrlPtr>> crls_;
  std::map<std::string, std::shared_ptr<const x509::TrustStore>> stores_;
  std::map<std::string, std::shared_ptr<const Rule>> rules_;
};

// Hex SHA-256 of `data` (lower case).
std::string Sha256Hex(absl::string_view data);

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_LOAD_CONTEXT_H_
