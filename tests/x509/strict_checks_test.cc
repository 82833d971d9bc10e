// CheckCertificateProfile's per-Certificate memo: the memoized finding equals a fresh
// computation for every role, for certificates that pass and that fail the profile, each role
// is memoized on its own, and concurrent first calls on one shared Certificate agree (suite
// StrictChecksConcurrencyTest carries the label `concurrency`, so `make test-tsan` runs it).
// The checks themselves are tested through the rule in tests/conformance/strict_profile_test.cc.
#include "server/x509/strict_checks.h"

#include <array>
#include <atomic>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/x509/openssl_ptr.h"
#include "tests/testing/cert_factory.h"
#include "tests/x509/x509_test_util.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::KeySpec;
using ::certguard::testing::TestCert;
using ::certguard::x509::testing::Parse;
using ::certguard::x509::testing::ParseDer;
using ::testing::HasSubstr;

constexpr std::array<PathRole, 3> kRoles = {PathRole::kLeaf, PathRole::kIntermediate, PathRole::kAnchor};

const char* RoleName(PathRole role) {
  switch (role) {
    case PathRole::kLeaf:
      return "leaf";
    case PathRole::kIntermediate:
      return "intermediate";
    case PathRole::kAnchor:
      return "anchor";
  }
  return "?";
}

std::string Describe(const std::optional<StrictFinding>& f) {
  if (!f.has_value()) return "(passes)";
  return absl::StrCat("kind ", static_cast<int>(f->kind), ": ", f->detail);
}

// One certificate of each interesting shape, as DER: a clean leaf, intermediate and root, and
// certificates that fail the profile in some roles but not in others.
struct Case {
  std::string name;
  std::string der;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case>* cases = [] {
    auto* out = new std::vector<Case>;
    CertSpec root_spec;
    root_spec.cn = "Memo Root";
    root_spec.is_ca = true;
    const TestCert root = CertFactory::SelfSigned(root_spec);
    CertSpec ica_spec;
    ica_spec.cn = "Memo ICA";
    ica_spec.is_ca = true;
    const TestCert ica = CertFactory::Issue(ica_spec, root);
    CertSpec leaf_spec;
    leaf_spec.cn = "client";
    leaf_spec.eku = {"clientAuth"};
    leaf_spec.san_dns = {"client.example.com"};
    out->push_back({"good_root", root.der()});
    out->push_back({"good_intermediate", ica.der()});
    out->push_back({"good_leaf", CertFactory::Issue(leaf_spec, ica).der()});

    CertSpec zero_serial = leaf_spec;  // fails as leaf and intermediate, not as anchor
    zero_serial.serial_hex = "00";
    out->push_back({"leaf_serial_zero", CertFactory::Issue(zero_serial, ica).der()});
    CertSpec no_aki = leaf_spec;  // fails as leaf and intermediate, not as anchor
    no_aki.authority_key_id = false;
    out->push_back({"leaf_without_aki", CertFactory::Issue(no_aki, ica).der()});
    CertSpec any_eku = leaf_spec;  // fails as leaf only (among the EKU rules)
    any_eku.eku = {"anyExtendedKeyUsage"};
    out->push_back({"leaf_any_eku", CertFactory::Issue(any_eku, ica).der()});
    CertSpec bad_dns = leaf_spec;
    bad_dns.san_dns = {"not_a_host..example"};
    out->push_back({"leaf_bad_dns_san", CertFactory::Issue(bad_dns, ica).der()});

    CertSpec weak_ica = ica_spec;  // RSA-1024: a finding for an issuer, none for a leaf
    weak_ica.key = KeySpec::Rsa(1024);
    out->push_back({"intermediate_rsa1024", CertFactory::Issue(weak_ica, root).der()});
    CertSpec sha1_ica = ica_spec;
    sha1_ica.digest = "sha1";
    out->push_back({"intermediate_sha1", CertFactory::Issue(sha1_ica, root).der()});
    CertSpec no_ski = ica_spec;
    no_ski.subject_key_id = false;
    out->push_back({"intermediate_without_ski", CertFactory::Issue(no_ski, root).der()});
    return out;
  }();
  return *cases;
}

class StrictProfileMemoTest : public ::testing::TestWithParam<Case> {};

// Every role, memo first: the first call computes, later calls read the memo; both equal a
// fresh computation on the same object and on an independent parse of the same bytes.
TEST_P(StrictProfileMemoTest, MemoEqualsFreshComputationForEveryRole) {
  const CertificatePtr cert = ParseDer(GetParam().der);
  ASSERT_NE(cert, nullptr);
  for (PathRole role : kRoles) {
    SCOPED_TRACE(RoleName(role));
    const CertificatePtr independent = ParseDer(GetParam().der);
    ASSERT_NE(independent, nullptr);
    const std::optional<StrictFinding> fresh = CheckCertificateProfileUncached(*independent, role);
    const std::optional<StrictFinding> first = CheckCertificateProfile(*cert, role);
    EXPECT_EQ(first, fresh) << Describe(first) << " vs " << Describe(fresh);
    for (int i = 0; i < 3; ++i) {
      const std::optional<StrictFinding> again = CheckCertificateProfile(*cert, role);
      EXPECT_EQ(again, fresh) << Describe(again) << " vs " << Describe(fresh);
    }
    EXPECT_EQ(CheckCertificateProfileUncached(*cert, role), fresh);
  }
}

// The roles in reverse order on a fresh object: no role's slot depends on another's.
TEST_P(StrictProfileMemoTest, RolesAreMemoizedIndependently) {
  const CertificatePtr forward = ParseDer(GetParam().der);
  const CertificatePtr reverse = ParseDer(GetParam().der);
  ASSERT_NE(forward, nullptr);
  ASSERT_NE(reverse, nullptr);
  for (PathRole role : kRoles) (void)CheckCertificateProfile(*forward, role);
  for (auto it = kRoles.rbegin(); it != kRoles.rend(); ++it) (void)CheckCertificateProfile(*reverse, *it);
  for (PathRole role : kRoles) {
    SCOPED_TRACE(RoleName(role));
    EXPECT_EQ(CheckCertificateProfile(*forward, role), CheckCertificateProfileUncached(*forward, role));
    EXPECT_EQ(CheckCertificateProfile(*reverse, role), CheckCertificateProfile(*forward, role));
  }
}

INSTANTIATE_TEST_SUITE_P(Certificates, StrictProfileMemoTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

const Case& Named(const std::string& name) {
  for (const Case& c : Cases()) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no case " << name;
  return Cases().front();
}

// The table above is not vacuous: the expected outcomes per role.
TEST(StrictProfileMemoExpectationsTest, FindingsPerRole) {
  for (const char* good : {"good_root", "good_intermediate", "good_leaf"}) {
    const CertificatePtr cert = ParseDer(Named(good).der);
    ASSERT_NE(cert, nullptr);
    const PathRole role = std::string(good) == "good_root"           ? PathRole::kAnchor
                          : std::string(good) == "good_intermediate" ? PathRole::kIntermediate
                                                                     : PathRole::kLeaf;
    EXPECT_EQ(CheckCertificateProfile(*cert, role), std::nullopt) << good;
  }

  const CertificatePtr zero = ParseDer(Named("leaf_serial_zero").der);
  ASSERT_NE(zero, nullptr);
  auto f = CheckCertificateProfile(*zero, PathRole::kLeaf);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, StrictFinding::Kind::kProfile);
  EXPECT_THAT(f->detail, HasSubstr("serial number is zero"));
  EXPECT_NE(CheckCertificateProfile(*zero, PathRole::kIntermediate), std::nullopt);

  const CertificatePtr no_aki = ParseDer(Named("leaf_without_aki").der);
  ASSERT_NE(no_aki, nullptr);
  f = CheckCertificateProfile(*no_aki, PathRole::kLeaf);
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->detail, HasSubstr("authorityKeyIdentifier is missing"));
  EXPECT_EQ(CheckCertificateProfile(*no_aki, PathRole::kAnchor), std::nullopt);

  const CertificatePtr weak = ParseDer(Named("intermediate_rsa1024").der);
  ASSERT_NE(weak, nullptr);
  f = CheckCertificateProfile(*weak, PathRole::kIntermediate);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, StrictFinding::Kind::kKeyTooSmall);
  f = CheckCertificateProfile(*weak, PathRole::kAnchor);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, StrictFinding::Kind::kKeyTooSmall);

  const CertificatePtr sha1 = ParseDer(Named("intermediate_sha1").der);
  ASSERT_NE(sha1, nullptr);
  f = CheckCertificateProfile(*sha1, PathRole::kIntermediate);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, StrictFinding::Kind::kSignatureAlgorithm);
  EXPECT_EQ(CheckCertificateProfile(*sha1, PathRole::kAnchor), std::nullopt);

  const CertificatePtr no_ski = ParseDer(Named("intermediate_without_ski").der);
  ASSERT_NE(no_ski, nullptr);
  f = CheckCertificateProfile(*no_ski, PathRole::kIntermediate);
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->detail, HasSubstr("no subjectKeyIdentifier"));

  const CertificatePtr any_eku = ParseDer(Named("leaf_any_eku").der);
  ASSERT_NE(any_eku, nullptr);
  f = CheckCertificateProfile(*any_eku, PathRole::kLeaf);
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->detail, HasSubstr("anyExtendedKeyUsage"));

  const CertificatePtr bad_dns = ParseDer(Named("leaf_bad_dns_san").der);
  ASSERT_NE(bad_dns, nullptr);
  f = CheckCertificateProfile(*bad_dns, PathRole::kLeaf);
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->detail, HasSubstr("is not a valid host name"));
}

// White-box: the memo is what answers. After the first check, the certificate's serial is
// overwritten behind the Certificate's back (never done outside this test: a Certificate is
// immutable); a fresh computation sees the change, the memoized role does not, and a role not
// yet asked for is computed from the current bytes.
TEST(StrictProfileMemoExpectationsTest, EachRoleIsComputedOnce) {
  const CertificatePtr cert = ParseDer(Named("good_leaf").der);
  ASSERT_NE(cert, nullptr);
  ASSERT_EQ(CheckCertificateProfile(*cert, PathRole::kLeaf), std::nullopt);
  ASN1_INTEGER* zero = ASN1_INTEGER_new();
  ASSERT_EQ(ASN1_INTEGER_set(zero, 0), 1);
  ASSERT_EQ(X509_set_serialNumber(cert->raw(), zero), 1);
  ASN1_INTEGER_free(zero);
  EXPECT_NE(CheckCertificateProfileUncached(*cert, PathRole::kLeaf), std::nullopt);
  EXPECT_EQ(CheckCertificateProfile(*cert, PathRole::kLeaf), std::nullopt);
  const auto intermediate = CheckCertificateProfile(*cert, PathRole::kIntermediate);
  ASSERT_TRUE(intermediate.has_value());
  EXPECT_THAT(intermediate->detail, HasSubstr("serial number is zero"));
}

// `cert` with its authorityKeyIdentifier replaced by `aki_der` (`copies` times), re-signed by
// `signer`, as DER.
std::string WithRawAki(const TestCert& cert, const TestCert& signer, const std::string& aki_der, int copies) {
  return ::certguard::testing::ResignedDer(cert, signer, [&](X509* x) {
    const int loc = X509_get_ext_by_NID(x, NID_authority_key_identifier, -1);
    if (loc >= 0) X509_EXTENSION_free(X509_delete_ext(x, loc));
    ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
    EXPECT_EQ(ASN1_OCTET_STRING_set(value, reinterpret_cast<const unsigned char*>(aki_der.data()),
                                    static_cast<int>(aki_der.size())),
              1);
    for (int i = 0; i < copies; ++i) {
      X509_EXTENSION* ext = X509_EXTENSION_create_by_NID(nullptr, NID_authority_key_identifier, 0, value);
      EXPECT_NE(ext, nullptr);
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
    ASN1_OCTET_STRING_free(value);
  });
}

// CheckAuthorityKeyId reads the AKI OpenSSL decoded while caching extensions, which relies on
// FromDer refusing a certificate whose AKI cannot be decoded or appears twice; a well-formed
// raw AKI (keyIdentifier only) still parses and is read back.
TEST(StrictProfileMemoExpectationsTest, UndecodableAuthorityKeyIdNeverBecomesACertificate) {
  CertSpec root_spec;
  root_spec.cn = "AKI Root";
  root_spec.is_ca = true;
  const TestCert root = CertFactory::SelfSigned(root_spec);
  CertSpec leaf_spec;
  leaf_spec.cn = "client";
  leaf_spec.eku = {"clientAuth"};
  const TestCert leaf = CertFactory::Issue(leaf_spec, root);

  const std::string truncated("\x30\x05\x80\x03\x01", 5);  // SEQUENCE claims 5 bytes, has 3
  EXPECT_FALSE(Certificate::FromDer(WithRawAki(leaf, root, truncated, 1)).ok());
  const std::string keyid_only("\x30\x05\x80\x03\x01\x02\x03", 7);
  EXPECT_FALSE(Certificate::FromDer(WithRawAki(leaf, root, keyid_only, 2)).ok());  // duplicate
  const CertificatePtr ok = ParseDer(WithRawAki(leaf, root, keyid_only, 1));
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(CheckCertificateProfileUncached(*ok, PathRole::kLeaf), std::nullopt);
  const std::string no_keyid("\x30\x00", 2);  // present, but without keyIdentifier
  const CertificatePtr empty = ParseDer(WithRawAki(leaf, root, no_keyid, 1));
  ASSERT_NE(empty, nullptr);
  const auto f = CheckCertificateProfile(*empty, PathRole::kLeaf);
  ASSERT_TRUE(f.has_value());
  EXPECT_THAT(f->detail, HasSubstr("authorityKeyIdentifier has no keyIdentifier"));
}

// Eight threads check two shared Certificates in every role at once, starting together so the
// first calls race: every result equals the fresh computation.
TEST(StrictChecksConcurrencyTest, EightThreadsShareOneCertificate) {
  constexpr int kThreads = 8;
  constexpr int kIterations = 500;
  for (int round = 0; round < 4; ++round) {  // fresh objects: the first calls race each round
    const std::vector<CertificatePtr> certs = {ParseDer(Named("good_leaf").der),
                                               ParseDer(Named("intermediate_sha1").der)};
    std::vector<std::array<std::optional<StrictFinding>, 3>> expected;
    for (const CertificatePtr& c : certs) {
      ASSERT_NE(c, nullptr);
      const CertificatePtr independent = ParseDer(c->der());
      ASSERT_NE(independent, nullptr);
      expected.push_back({CheckCertificateProfileUncached(*independent, kRoles[0]),
                          CheckCertificateProfileUncached(*independent, kRoles[1]),
                          CheckCertificateProfileUncached(*independent, kRoles[2])});
    }
    std::atomic<int> wrong{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        for (int i = 0; i < kIterations; ++i) {
          const size_t c = static_cast<size_t>(i + t) % certs.size();
          const size_t r = static_cast<size_t>(i * 7 + t) % kRoles.size();
          if (CheckCertificateProfile(*certs[c], kRoles[r]) != expected[c][r]) wrong.fetch_add(1);
        }
      });
    }
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(wrong.load(), 0) << "round " << round;
  }
}

}  // namespace
}  // namespace certguard::x509
