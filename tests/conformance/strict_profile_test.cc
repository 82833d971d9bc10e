// The strict profile rule: one passing and one failing certificate per check
// (server/x509/strict_checks.h lists them).
#include <functional>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/policy/rules/rule_factories.h"
#include "server/x509/certificate.h"
#include "server/x509/openssl_ptr.h"
#include "tests/testing/cert_factory.h"

namespace certguard::policy {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::KeySpec;
using ::certguard::testing::TestCert;
using ::testing::HasSubstr;

using Edit = std::function<void(X509*)>;

x509::CertificatePtr Parse(const std::string& der) {
  auto cert = x509::Certificate::FromDer(der);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return cert.ok() ? *cert : nullptr;
}

// `cert` after `edit`, re-signed with `signer`'s key.
x509::CertificatePtr Edited(const TestCert& cert, const TestCert& signer, const Edit& edit) {
  return Parse(::certguard::testing::ResignedDer(cert, signer, edit));
}

// Replaces (or adds) extension `nid` from OpenSSL's config syntax, e.g. "critical,CA:TRUE".
void SetExt(X509* x, int nid, const char* value) {
  const int loc = X509_get_ext_by_NID(x, nid, -1);
  if (loc >= 0) X509_EXTENSION_free(X509_delete_ext(x, loc));
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, nid, value);
  ASSERT_NE(ext, nullptr) << value;
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
}

// Replaces extension `nid` with the DER encoding of `value` (an OpenSSL extension struct).
void SetExtI2d(X509* x, int nid, void* value, int critical) {
  ASSERT_EQ(X509_add1_ext_i2d(x, nid, value, critical, X509V3_ADD_REPLACE), 1);
}

class StrictProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CertSpec root;
    root.cn = "Strict Root";
    root.is_ca = true;
    root_ = CertFactory::SelfSigned(root);
    ica_spec_.cn = "Strict ICA";
    ica_spec_.is_ca = true;
    ica_ = CertFactory::Issue(ica_spec_, root_);
    leaf_spec_.cn = "client";
    leaf_spec_.eku = {"clientAuth"};
    leaf_spec_.san_dns = {"client.example.com"};
    leaf_spec_.san_email = {"client@example.com"};
  }

  RuleResult Check(const std::vector<x509::CertificatePtr>& path) {
    auto rule = MakeStrictProfileRule(v1::StrictProfile());
    EXPECT_NE(rule, nullptr);
    for (const auto& c : path) {
      if (c == nullptr) return RuleResult::Fail(v1::INTERNAL_ERROR, "certificate did not parse");
    }
    RuleContext context{*path[0], path, path, testing::TestNow()};
    return rule->Check(context);
  }
  // root -> ICA -> leaf built from the (possibly modified) specs.
  RuleResult CheckChain() {
    ica_ = CertFactory::Issue(ica_spec_, root_);
    TestCert leaf = CertFactory::Issue(leaf_spec_, ica_);
    return Check({Parse(leaf.der()), Parse(ica_.der()), Parse(root_.der())});
  }
  // root -> ICA -> edited leaf.
  RuleResult CheckLeafEdit(const Edit& edit) {
    TestCert leaf = CertFactory::Issue(leaf_spec_, ica_);
    return Check({Edited(leaf, ica_, edit), Parse(ica_.der()), Parse(root_.der())});
  }
  // root -> edited ICA -> leaf.
  RuleResult CheckIcaEdit(const Edit& edit) {
    TestCert leaf = CertFactory::Issue(leaf_spec_, ica_);
    return Check({Parse(leaf.der()), Edited(ica_, root_, edit), Parse(root_.der())});
  }
  // edited (self-signed) root -> ICA -> leaf.
  RuleResult CheckRootEdit(const Edit& edit) {
    TestCert leaf = CertFactory::Issue(leaf_spec_, ica_);
    return Check({Parse(leaf.der()), Parse(ica_.der()), Edited(root_, root_, edit)});
  }

  TestCert root_, ica_;
  CertSpec ica_spec_, leaf_spec_;
};

void ExpectFail(const RuleResult& r, v1::Reason reason, const std::string& detail) {
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.reason, reason) << r.detail;
  EXPECT_THAT(r.detail, HasSubstr(detail));
}

TEST_F(StrictProfileTest, WellFormedChainPasses) {
  RuleResult r = CheckChain();
  EXPECT_TRUE(r.passed) << r.detail;
}

TEST_F(StrictProfileTest, DisabledByPolicy) {
  v1::StrictProfile off;
  off.set_enabled(false);
  EXPECT_EQ(MakeStrictProfileRule(off), nullptr);
}

TEST_F(StrictProfileTest, SerialNumberRules) {
  leaf_spec_.serial_hex = "7F" + std::string(38, '1');  // 20 octets
  EXPECT_TRUE(CheckChain().passed);
  leaf_spec_.serial_hex = "80" + std::string(38, '1');  // 21 octets once DER adds a 0x00
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "21 octets");
  leaf_spec_.serial_hex = "00";
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "serial number is zero");
  leaf_spec_.serial_hex = "";
  ExpectFail(CheckLeafEdit([](X509* x) { ASN1_INTEGER_set(X509_get_serialNumber(x), -5); }),
             v1::STRICT_PROFILE_VIOLATION, "negative");
}

TEST_F(StrictProfileTest, ValidityOrder) {
  leaf_spec_.not_before = testing::TestNotAfter();
  leaf_spec_.not_after = testing::TestNotBefore();
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "notBefore is after notAfter");
}

TEST_F(StrictProfileTest, EmptyExtendedKeyUsage) {
  ExpectFail(CheckLeafEdit([](X509* x) {
               EXTENDED_KEY_USAGE* eku = sk_ASN1_OBJECT_new_null();
               SetExtI2d(x, NID_ext_key_usage, eku, 0);
               sk_ASN1_OBJECT_free(eku);
             }),
             v1::STRICT_PROFILE_VIOLATION, "lists no purpose");
}

TEST_F(StrictProfileTest, LeafWithAnyExtendedKeyUsage) {
  leaf_spec_.eku = {"clientAuth", "2.5.29.37.0"};
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "anyExtendedKeyUsage");
}

TEST_F(StrictProfileTest, PolicyConstraintsMustBeCritical) {
  EXPECT_TRUE(
      CheckIcaEdit([](X509* x) { SetExt(x, NID_policy_constraints, "critical,requireExplicitPolicy:0"); }).passed);
  ExpectFail(CheckIcaEdit([](X509* x) { SetExt(x, NID_policy_constraints, "requireExplicitPolicy:0"); }),
             v1::STRICT_PROFILE_VIOLATION, "policyConstraints is not marked critical");
}

TEST_F(StrictProfileTest, NameConstraintsProfile) {
  RuleResult ok = CheckIcaEdit([](X509* x) {
    SetExt(x, NID_name_constraints, "critical,permitted;DNS:example.com,permitted;email:example.com");
  });
  EXPECT_TRUE(ok.passed) << ok.detail;
  ExpectFail(CheckLeafEdit([](X509* x) { SetExt(x, NID_name_constraints, "critical,permitted;DNS:example.com"); }),
             v1::STRICT_PROFILE_VIOLATION, "the leaf carries nameConstraints");
  ExpectFail(CheckIcaEdit([](X509* x) { SetExt(x, NID_name_constraints, "permitted;DNS:example.com"); }),
             v1::STRICT_PROFILE_VIOLATION, "not marked critical");
  ExpectFail(CheckIcaEdit([](X509* x) { SetExt(x, NID_name_constraints, "critical,permitted;DNS:.example.com"); }),
             v1::STRICT_PROFILE_VIOLATION, "dNSName constraint");
  ExpectFail(CheckIcaEdit([](X509* x) { SetExt(x, NID_name_constraints, "critical,permitted;email:a@b@example.com"); }),
             v1::STRICT_PROFILE_VIOLATION, "rfc822Name constraint");
  ExpectFail(CheckIcaEdit([](X509* x) {
               NAME_CONSTRAINTS* nc = NAME_CONSTRAINTS_new();
               SetExtI2d(x, NID_name_constraints, nc, 1);
               NAME_CONSTRAINTS_free(nc);
             }),
             v1::STRICT_PROFILE_VIOLATION, "neither permitted nor excluded");
}

TEST_F(StrictProfileTest, AuthorityKeyIdentifierRequiredWhenNotSelfIssued) {
  leaf_spec_.authority_key_id = false;
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "authorityKeyIdentifier is missing");
}

TEST_F(StrictProfileTest, AuthorityKeyIdentifierNeedsKeyIdentifier) {
  ExpectFail(CheckLeafEdit([](X509* x) {
               AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
               aki->serial = ASN1_INTEGER_new();
               ASN1_INTEGER_set(aki->serial, 7);
               SetExtI2d(x, NID_authority_key_identifier, aki, 0);
               AUTHORITY_KEYID_free(aki);
             }),
             v1::STRICT_PROFILE_VIOLATION, "has no keyIdentifier");
}

TEST_F(StrictProfileTest, AuthorityKeyIdentifierMustMatchIssuer) {
  ExpectFail(CheckLeafEdit([](X509* x) {
               AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
               aki->keyid = ASN1_OCTET_STRING_new();
               ASN1_OCTET_STRING_set(aki->keyid, reinterpret_cast<const unsigned char*>("0123456789abcdefghij"), 20);
               SetExtI2d(x, NID_authority_key_identifier, aki, 0);
               AUTHORITY_KEYID_free(aki);
             }),
             v1::STRICT_PROFILE_VIOLATION, "does not match the issuer's subjectKeyIdentifier");
}

TEST_F(StrictProfileTest, SelfSignedAnchorAuthorityKeyIdentifier) {
  // The root's own SKI as AKI keyid is fine; anything else is not.
  RuleResult ok = CheckRootEdit([](X509* x) {
    AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
    aki->keyid = ASN1_OCTET_STRING_dup(X509_get0_subject_key_id(x));
    SetExtI2d(x, NID_authority_key_identifier, aki, 0);
    AUTHORITY_KEYID_free(aki);
  });
  EXPECT_TRUE(ok.passed) << ok.detail;
  ExpectFail(CheckRootEdit([](X509* x) {
               AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
               aki->keyid = ASN1_OCTET_STRING_new();
               ASN1_OCTET_STRING_set(aki->keyid, reinterpret_cast<const unsigned char*>("not-the-ski"), 11);
               SetExtI2d(x, NID_authority_key_identifier, aki, 0);
               AUTHORITY_KEYID_free(aki);
             }),
             v1::STRICT_PROFILE_VIOLATION, "differs from its own subjectKeyIdentifier");
}

TEST_F(StrictProfileTest, AuthorityInfoAccessMustNotBeEmpty) {
  leaf_spec_.ocsp_url = "http://ocsp.example.com";
  EXPECT_TRUE(CheckChain().passed);
  ExpectFail(CheckLeafEdit([](X509* x) {
               AUTHORITY_INFO_ACCESS* aia = sk_ACCESS_DESCRIPTION_new_null();
               SetExtI2d(x, NID_info_access, aia, 0);
               sk_ACCESS_DESCRIPTION_free(aia);
             }),
             v1::STRICT_PROFILE_VIOLATION, "authorityInfoAccess");
}

TEST_F(StrictProfileTest, SubjectAltNameProfile) {
  leaf_spec_.san_dns = {"*.clients.example.com", "a-1.example.com"};
  EXPECT_TRUE(CheckChain().passed);
  leaf_spec_.san_dns = {"under_score.example.com"};
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "dNSName");
  leaf_spec_.san_dns = {".example.com"};
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "dNSName");
  leaf_spec_.san_dns = {"client.example.com"};
  leaf_spec_.san_email = {"invalid@address@example.com"};
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "rfc822Name");
  leaf_spec_.san_email = {};
  ExpectFail(CheckLeafEdit([](X509* x) {
               GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
               SetExtI2d(x, NID_subject_alt_name, names, 0);
               sk_GENERAL_NAME_free(names);
             }),
             v1::STRICT_PROFILE_VIOLATION, "subjectAltName is empty");
}

TEST_F(StrictProfileTest, EmptySubjectNeedsCriticalSubjectAltName) {
  auto empty_subject = [](X509* x) {
    X509_NAME* empty = X509_NAME_new();
    X509_set_subject_name(x, empty);
    X509_NAME_free(empty);
  };
  RuleResult ok = CheckLeafEdit([&](X509* x) {
    empty_subject(x);
    SetExt(x, NID_subject_alt_name, "critical,DNS:client.example.com");
  });
  EXPECT_TRUE(ok.passed) << ok.detail;
  ExpectFail(CheckLeafEdit(empty_subject), v1::STRICT_PROFILE_VIOLATION, "subject is empty");
}

TEST_F(StrictProfileTest, IntermediateBasicConstraintsMustBeCritical) {
  ExpectFail(CheckIcaEdit([](X509* x) { SetExt(x, NID_basic_constraints, "CA:TRUE"); }), v1::STRICT_PROFILE_VIOLATION,
             "basicConstraints is not marked critical");
}

TEST_F(StrictProfileTest, IntermediateNeedsKeyUsage) {
  ica_spec_.omit_key_usage = true;
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "has no keyUsage");
}

TEST_F(StrictProfileTest, IntermediateNeedsSubjectKeyIdentifier) {
  ica_spec_.subject_key_id = false;
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "has no subjectKeyIdentifier");
}

TEST_F(StrictProfileTest, IntermediateSignedWithSha1) {
  ica_spec_.digest = "sha1";
  ExpectFail(CheckChain(), v1::SIGNATURE_ALGORITHM_NOT_ALLOWED, "intermediate CA is signed with");
}

TEST_F(StrictProfileTest, RsaModulusMustBeWholeBytes) {
  ica_spec_.key = KeySpec::Rsa(2048);
  EXPECT_TRUE(CheckChain().passed);
  ica_spec_.key = KeySpec::Rsa(2052);
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "2052 bits");
}

TEST_F(StrictProfileTest, WeakKeysInPath) {
  ica_spec_.key = KeySpec::Ec("secp384r1");
  EXPECT_TRUE(CheckChain().passed);
  ica_spec_.key = KeySpec::Rsa(1024);
  ExpectFail(CheckChain(), v1::KEY_TOO_SMALL, "1024 bits");
  ica_spec_.key = KeySpec::Ec("prime192v1");
  ExpectFail(CheckChain(), v1::CURVE_NOT_ALLOWED, "prime192v1");
}

TEST_F(StrictProfileTest, AnchorMayLackAuthorityKeyIdentifier) {
  // A cross-signed (not self-issued) certificate configured as the anchor, without AKI.
  CertSpec other;
  other.cn = "Other Root";
  other.is_ca = true;
  TestCert other_root = CertFactory::SelfSigned(other);
  CertSpec cross = ica_spec_;
  cross.authority_key_id = false;
  TestCert anchor = CertFactory::Issue(cross, other_root);
  TestCert leaf = CertFactory::Issue(leaf_spec_, anchor);
  RuleResult r = Check({Parse(leaf.der()), Parse(anchor.der())});
  EXPECT_TRUE(r.passed) << r.detail;
}

TEST_F(StrictProfileTest, DsaKeyInPath) {
  // The anchor's key becomes DSA (signatures are not this rule's concern).
  EVP_PKEY* dsa = nullptr;
  {
    x509::EvpPkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr));
    ASSERT_EQ(EVP_PKEY_paramgen_init(pctx.get()), 1);
    ASSERT_EQ(EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx.get(), 1024), 1);
    EVP_PKEY* params = nullptr;
    ASSERT_EQ(EVP_PKEY_paramgen(pctx.get(), &params), 1);
    x509::EvpPkeyPtr params_owner(params);
    x509::EvpPkeyCtxPtr kctx(EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr));
    ASSERT_EQ(EVP_PKEY_keygen_init(kctx.get()), 1);
    ASSERT_EQ(EVP_PKEY_keygen(kctx.get(), &dsa), 1);
  }
  x509::EvpPkeyPtr dsa_owner(dsa);
  ExpectFail(CheckRootEdit([&](X509* x) { X509_set_pubkey(x, dsa); }), v1::KEY_ALGORITHM_NOT_ALLOWED, "DSA");
}

TEST_F(StrictProfileTest, IssuerExtendedKeyUsageMustAllowTheLeafsPurpose) {
  ica_spec_.eku = {"clientAuth", "serverAuth"};
  EXPECT_TRUE(CheckChain().passed);
  ica_spec_.eku = {"emailProtection"};
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "restricts extendedKeyUsage");
  leaf_spec_.eku = {};  // a leaf without EKU is judged as a client certificate
  ica_spec_.eku = {"serverAuth"};
  ExpectFail(CheckChain(), v1::STRICT_PROFILE_VIOLATION, "restricts extendedKeyUsage");
}

TEST_F(StrictProfileTest, WildcardSanAgainstExcludedSubtree) {
  leaf_spec_.san_dns = {"*.example.com"};
  ExpectFail(CheckIcaEdit([](X509* x) { SetExt(x, NID_name_constraints, "critical,excluded;DNS:bar.example.com"); }),
             v1::NAME_CONSTRAINTS_VIOLATED, "covers bar.example.com");
  RuleResult ok =
      CheckIcaEdit([](X509* x) { SetExt(x, NID_name_constraints, "critical,excluded;DNS:a.bar.example.com"); });
  EXPECT_TRUE(ok.passed) << ok.detail;
}

TEST_F(StrictProfileTest, ExistingLeafChecksStillApply) {
  leaf_spec_.is_ca = true;
  ExpectFail(CheckChain(), v1::LEAF_IS_CA, "CA certificate");
}

}  // namespace
}  // namespace certguard::policy
