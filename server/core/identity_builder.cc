#include "server/core/identity_builder.h"

#include <algorithm>

#include "server/policy/rules/identity_rules.h"

namespace certguard::core {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  constexpr int64_t kMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  ts->set_seconds(std::clamp(absl::ToUnixSeconds(t), kMinSeconds, kMaxSeconds));
  ts->set_nanos(0);
}

void FillIdentity(const x509::CertificateInfo& i, v1::Identity* id) {
  id->set_subject(i.subject_dn);
  id->set_issuer(i.issuer_dn);
  id->set_subject_cn(i.subject_cn);
  id->set_issuer_cn(i.issuer_cn);
  id->set_serial_hex(i.serial_hex);
  id->set_sha1_thumbprint(i.sha1_hex);
  id->set_sha256_thumbprint(i.sha256_hex);
  id->set_spki_sha256(i.spki_sha256_base64);
  SetTimestamp(i.not_before, id->mutable_not_before());
  SetTimestamp(i.not_after, id->mutable_not_after());
  id->set_key_algorithm(i.key_algorithm);
  id->set_key_bits(i.key_bits);
  id->set_key_curve(i.key_curve);
  id->set_signature_algorithm(i.signature_algorithm);
  v1::SubjectAltNames* sans = id->mutable_sans();
  for (const auto& v : i.sans.dns) sans->add_dns(v);
  for (const auto& v : i.sans.uri) sans->add_uri(v);
  for (const auto& v : i.sans.email) sans->add_email(v);
  for (const auto& v : i.sans.ip) sans->add_ip(v);
  id->set_spiffe_id(policy::SpiffeIdOf(i));
}

}  // namespace certguard::core
