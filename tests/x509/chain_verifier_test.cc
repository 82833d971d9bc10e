#include "server/x509/chain_verifier.h"

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/x509/verify_error.h"
#include "tests/testing/cert_factory.h"
#include "tests/x509/x509_test_util.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::CertSpec;
using ::certguard::testing::KeySpec;
using ::certguard::testing::MakePki;
using ::certguard::testing::TestCert;
using ::certguard::testing::TestNow;
using ::certguard::testing::TestPki;
using ::certguard::x509::testing::Parse;
using ::certguard::x509::testing::ParseCrls;
using ::certguard::x509::testing::ParseDer;
using ::certguard::x509::testing::TamperLastByte;
using ::testing::HasSubstr;

// Everything one verification needs.
struct Scenario {
  CertificatePtr leaf;
  std::vector<CertificatePtr> presented;
  std::vector<CertificatePtr> anchors;
  std::vector<CertificatePtr> store_intermediates;
  std::vector<CrlPtr> crls;
  VerifyOptions options;
};

struct Case {
  std::string name;
  std::function<Scenario()> make;
  VerifyError want;
  int want_depth = -1;       // checked on failure
  size_t want_path_len = 0;  // checked on success
  bool want_crl_stale = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

VerifyOptions Defaults() {
  VerifyOptions o;
  o.now = TestNow();
  return o;
}

CertSpec Ca(const std::string& cn, int path_len = -1) {
  CertSpec s;
  s.cn = cn;
  s.is_ca = true;
  s.path_len = path_len;
  return s;
}

CertSpec Leaf(const std::string& cn = "leaf.example.com") {
  CertSpec s;
  s.cn = cn;
  s.eku = {"clientAuth"};
  s.san_dns = {cn};
  return s;
}

// Shared material, generated once for the whole suite (key generation dominates the cost).
struct Material {
  TestPki ec = MakePki(KeySpec::Ec());
  TestPki rsa = MakePki(KeySpec::Rsa(2048));
  TestPki ed = MakePki(KeySpec::Ed25519());
  TestPki other = MakePki(KeySpec::Ec(), "other.example.com");  // an unrelated hierarchy
};

const Material& M() {
  static const Material* m = new Material();
  return *m;
}

// root -> intermediate -> leaf from `pki`, intermediate presented, root trusted.
Scenario Three(const TestPki& pki) {
  Scenario s;
  s.leaf = Parse(pki.leaf);
  s.presented = {Parse(pki.intermediate)};
  s.anchors = {Parse(pki.root)};
  s.options = Defaults();
  return s;
}

// root -> leaf (issued directly), root trusted.
Scenario Two(const TestCert& root, const CertSpec& leaf_spec) {
  Scenario s;
  s.leaf = Parse(CertFactory::Issue(leaf_spec, root));
  s.anchors = {Parse(root)};
  s.options = Defaults();
  return s;
}

// A chain root -> i1 -> ... -> leaf with `intermediates` CAs between, all presented.
Scenario Chain(int intermediates) {
  Scenario s;
  TestCert root = CertFactory::SelfSigned(Ca("Depth Root"));
  TestCert issuer = root;
  std::vector<CertificatePtr> presented;
  for (int i = 0; i < intermediates; ++i) {
    issuer = CertFactory::Issue(Ca("Depth CA " + std::to_string(i)), issuer);
    presented.insert(presented.begin(), Parse(issuer));
  }
  s.leaf = Parse(CertFactory::Issue(Leaf(), issuer));
  s.presented = presented;
  s.anchors = {Parse(root)};
  s.options = Defaults();
  return s;
}

// The EC hierarchy with a leaf carrying `leaf_spec` (issued by the shared intermediate).
Scenario EcWithLeaf(const CertSpec& leaf_spec) {
  Scenario s = Three(M().ec);
  s.leaf = Parse(CertFactory::Issue(leaf_spec, M().ec.intermediate));
  return s;
}

// root -> intermediate(`inter_spec`) -> leaf, fresh.
Scenario WithIntermediate(const CertSpec& inter_spec) {
  Scenario s;
  TestCert root = CertFactory::SelfSigned(Ca("Root"));
  TestCert inter = CertFactory::Issue(inter_spec, root);
  s.leaf = Parse(CertFactory::Issue(Leaf(), inter));
  s.presented = {Parse(inter)};
  s.anchors = {Parse(root)};
  s.options = Defaults();
  return s;
}

CertSpec LeafValid(absl::Time not_before, absl::Time not_after) {
  CertSpec s = Leaf();
  s.not_before = not_before;
  s.not_after = not_after;
  return s;
}

CertSpec CaValid(absl::Time not_before, absl::Time not_after) {
  CertSpec s = Ca("Timed CA");
  s.not_before = not_before;
  s.not_after = not_after;
  return s;
}

const absl::Time kNow = TestNow();
const absl::Time kLongAgo = kNow - absl::Hours(24 * 365);
const absl::Time kFarAhead = kNow + absl::Hours(24 * 365);

// A hierarchy with CRLs for both CAs; `leaf_revoked` / `inter_revoked` / `root_revoked` pick
// what the CRLs list.
struct CrlPki {
  TestPki pki;
  CertificatePtr leaf, inter, root;
  absl::Time revoked_at = kNow - absl::Hours(36);
  std::string inter_crl(bool leaf_revoked, absl::Time this_update = kNow - absl::Hours(1),
                        absl::Time next_update = kNow + absl::Hours(24)) const {
    std::vector<std::pair<std::string, absl::Time>> entries;
    if (leaf_revoked) entries.push_back({pki.leaf.serial_hex(), revoked_at});
    entries.push_back({"0BADC0DE", kNow - absl::Hours(100)});  // someone else
    return CertFactory::CrlPem(pki.intermediate, entries, this_update, next_update);
  }
  std::string root_crl(bool inter_revoked, bool root_revoked = false) const {
    std::vector<std::pair<std::string, absl::Time>> entries;
    if (inter_revoked) entries.push_back({pki.intermediate.serial_hex(), revoked_at});
    if (root_revoked) entries.push_back({pki.root.serial_hex(), revoked_at});
    return CertFactory::CrlPem(pki.root, entries, kNow - absl::Hours(1), kNow + absl::Hours(24));
  }
};

const CrlPki& C() {
  static const CrlPki* c = [] {
    auto* p = new CrlPki{MakePki(KeySpec::Ec(), "crl-client.example.com"), {}, {}, {}};
    p->leaf = Parse(p->pki.leaf);
    p->inter = Parse(p->pki.intermediate);
    p->root = Parse(p->pki.root);
    return p;
  }();
  return *c;
}

Scenario CrlScenario(std::vector<std::string> crl_pems, RevocationScope scope) {
  Scenario s;
  s.leaf = C().leaf;
  s.presented = {C().inter};
  s.anchors = {C().root};
  s.options = Defaults();
  s.options.revocation_scope = scope;
  for (const std::string& pem : crl_pems) {
    for (CrlPtr& crl : ParseCrls(pem)) s.crls.push_back(std::move(crl));
  }
  return s;
}

std::vector<Case> Cases() {
  const VerifyError kOk = VerifyError::kNone;
  std::vector<Case> cases = {
      // --- good chains ---
      {"ec_chain_of_3", [] { return Three(M().ec); }, kOk, -1, 3},
      {"rsa_chain_of_3", [] { return Three(M().rsa); }, kOk, -1, 3},
      {"ed25519_chain_of_3", [] { return Three(M().ed); }, kOk, -1, 3},
      {"ec_chain_of_2", [] { return Two(M().ec.root, Leaf()); }, kOk, -1, 2},
      {"rsa_chain_of_2",
       [] {
         CertSpec leaf = Leaf();
         leaf.key = KeySpec::Rsa(2048);
         return Two(M().rsa.root, leaf);
       },
       kOk, -1, 2},
      {"intermediate_from_store_not_presented",
       [] {
         Scenario s = Three(M().ec);
         s.store_intermediates = s.presented;
         s.presented.clear();
         return s;
       },
       kOk, -1, 3},
      {"presented_chain_includes_leaf_and_root",
       [] {
         Scenario s = Three(M().ec);
         s.presented = {s.leaf, s.presented[0], s.anchors[0]};
         return s;
       },
       kOk, -1, 3},
      {"sha1_signed_leaf_is_not_refused_here",
       [] {
         CertSpec leaf = Leaf();
         leaf.digest = "sha1";
         return EcWithLeaf(leaf);
       },
       kOk, -1, 3},

      // --- validity periods ---
      {"expired_leaf", [] { return EcWithLeaf(LeafValid(kLongAgo, kNow - absl::Hours(1))); }, VerifyError::kExpired, 0},
      {"not_yet_valid_leaf", [] { return EcWithLeaf(LeafValid(kNow + absl::Hours(1), kFarAhead)); },
       VerifyError::kNotYetValid, 0},
      {"leaf_expiring_exactly_now_is_expired", [] { return EcWithLeaf(LeafValid(kLongAgo, kNow)); },
       VerifyError::kExpired, 0},
      {"leaf_valid_from_exactly_now", [] { return EcWithLeaf(LeafValid(kNow, kFarAhead)); }, kOk, -1, 3},
      {"expired_intermediate", [] { return WithIntermediate(CaValid(kLongAgo, kNow - absl::Hours(1))); },
       VerifyError::kExpired, 1},
      {"not_yet_valid_intermediate", [] { return WithIntermediate(CaValid(kNow + absl::Hours(1), kFarAhead)); },
       VerifyError::kNotYetValid, 1},
      {"expired_root",
       [] {
         CertSpec root = CaValid(kLongAgo, kNow - absl::Hours(1));
         return Two(CertFactory::SelfSigned(root), Leaf());
       },
       VerifyError::kExpired, 1},
      {"skew_inside_expired",
       [] {
         Scenario s = EcWithLeaf(LeafValid(kLongAgo, kNow - absl::Seconds(30)));
         s.options.clock_skew = absl::Seconds(60);
         return s;
       },
       kOk, -1, 3},
      {"skew_outside_expired",
       [] {
         Scenario s = EcWithLeaf(LeafValid(kLongAgo, kNow - absl::Seconds(90)));
         s.options.clock_skew = absl::Seconds(60);
         return s;
       },
       VerifyError::kExpired, 0},
      {"skew_inside_not_yet_valid",
       [] {
         Scenario s = EcWithLeaf(LeafValid(kNow + absl::Seconds(30), kFarAhead));
         s.options.clock_skew = absl::Seconds(60);
         return s;
       },
       kOk, -1, 3},
      {"skew_outside_not_yet_valid",
       [] {
         Scenario s = EcWithLeaf(LeafValid(kNow + absl::Seconds(90), kFarAhead));
         s.options.clock_skew = absl::Seconds(60);
         return s;
       },
       VerifyError::kNotYetValid, 0},
      {"skew_inside_for_intermediate",
       [] {
         Scenario s = WithIntermediate(CaValid(kLongAgo, kNow - absl::Seconds(30)));
         s.options.clock_skew = absl::Seconds(60);
         return s;
       },
       kOk, -1, 3},
      {"check_time_false_accepts_expired_chain",
       [] {
         Scenario s = WithIntermediate(CaValid(kLongAgo, kNow - absl::Hours(1)));
         s.options.check_time = false;
         return s;
       },
       kOk, -1, 3},
      {"check_time_false_accepts_not_yet_valid_leaf",
       [] {
         Scenario s = EcWithLeaf(LeafValid(kNow + absl::Hours(1), kFarAhead));
         s.options.check_time = false;
         return s;
       },
       kOk, -1, 3},

      // --- trust ---
      {"wrong_issuer_untrusted",
       [] {
         Scenario s = Three(M().other);
         s.anchors = {Parse(M().ec.root)};
         return s;
       },
       VerifyError::kUntrusted, 1},
      {"missing_intermediate_untrusted",
       [] {
         Scenario s = Three(M().ec);
         s.presented.clear();
         return s;
       },
       VerifyError::kUntrusted, 0},
      {"same_name_impostor_root_untrusted",
       [] {
         // A root with the genuine root's name but another key signs the intermediate.
         CertSpec fake_root = Ca("Test Root CA");
         fake_root.subject_extra = {{"O", "certguard tests"}};
         TestCert impostor = CertFactory::SelfSigned(fake_root);
         CertSpec inter = Ca("Test Intermediate CA");
         inter.subject_extra = {{"O", "certguard tests"}};
         TestCert fake_inter = CertFactory::Issue(inter, impostor);
         Scenario s = Three(M().ec);
         s.leaf = Parse(CertFactory::Issue(Leaf(), fake_inter));
         s.presented = {Parse(fake_inter)};
         return s;
       },
       VerifyError::kUntrusted, 1},
      {"self_signed_leaf_as_anchor",
       [] {
         TestCert self = CertFactory::SelfSigned(Leaf("self.example.com"));
         Scenario s;
         s.leaf = Parse(self);
         s.anchors = {Parse(self)};
         s.options = Defaults();
         return s;
       },
       kOk, -1, 1},
      {"self_signed_leaf_not_anchor",
       [] {
         Scenario s;
         s.leaf = Parse(CertFactory::SelfSigned(Leaf("self.example.com")));
         s.anchors = {Parse(M().ec.root)};
         s.options = Defaults();
         return s;
       },
       VerifyError::kUntrusted, 0},
      {"partial_chain_allowed",
       [] {
         Scenario s = Three(M().ec);
         s.anchors = s.presented;
         s.presented.clear();
         return s;
       },
       kOk, -1, 2},
      {"partial_chain_refused",
       [] {
         Scenario s = Three(M().ec);
         s.anchors = s.presented;
         s.presented.clear();
         s.options.allow_partial_chain = false;
         return s;
       },
       VerifyError::kUntrusted, 1},
      {"partial_chain_refused_but_root_also_trusted",
       [] {
         Scenario s = Three(M().ec);
         s.anchors = {s.presented[0], Parse(M().ec.root)};
         s.options.allow_partial_chain = false;
         return s;
       },
       kOk, -1, 3},

      // --- signatures ---
      {"bad_signature_ec_leaf",
       [] {
         Scenario s = Three(M().ec);
         s.leaf = ParseDer(TamperLastByte(M().ec.leaf.der()));
         return s;
       },
       VerifyError::kSignatureInvalid, 0},
      {"bad_signature_rsa_leaf",
       [] {
         Scenario s = Three(M().rsa);
         s.leaf = ParseDer(TamperLastByte(M().rsa.leaf.der()));
         return s;
       },
       VerifyError::kSignatureInvalid, 0},
      {"bad_signature_intermediate",
       [] {
         Scenario s = Three(M().rsa);
         s.presented = {ParseDer(TamperLastByte(M().rsa.intermediate.der()))};
         return s;
       },
       VerifyError::kSignatureInvalid, 1},

      // --- CA constraints ---
      {"intermediate_not_ca",
       [] {
         CertSpec inter = Ca("Not A CA");
         inter.is_ca = false;
         inter.key_usage = {"digitalSignature"};
         return WithIntermediate(inter);
       },
       VerifyError::kInvalidCa, 1},
      {"intermediate_without_basic_constraints",
       [] {
         CertSpec inter = Ca("No BC");
         inter.basic_constraints = false;
         return WithIntermediate(inter);
       },
       VerifyError::kInvalidCa, 1},
      {"intermediate_without_key_cert_sign",
       [] {
         CertSpec inter = Ca("No keyCertSign");
         inter.key_usage = {"cRLSign", "digitalSignature"};
         return WithIntermediate(inter);
       },
       VerifyError::kInvalidCa, 1},
      {"path_len_zero_then_another_ca",
       [] {
         TestCert root = CertFactory::SelfSigned(Ca("PL Root"));
         TestCert i1 = CertFactory::Issue(Ca("PL CA 1", 0), root);
         TestCert i2 = CertFactory::Issue(Ca("PL CA 2"), i1);
         Scenario s;
         s.leaf = Parse(CertFactory::Issue(Leaf(), i2));
         s.presented = {Parse(i2), Parse(i1)};
         s.anchors = {Parse(root)};
         s.options = Defaults();
         return s;
       },
       VerifyError::kInvalidCa, 2},
      {"path_len_one_then_another_ca_ok",
       [] {
         TestCert root = CertFactory::SelfSigned(Ca("PL Root"));
         TestCert i1 = CertFactory::Issue(Ca("PL CA 1", 1), root);
         TestCert i2 = CertFactory::Issue(Ca("PL CA 2"), i1);
         Scenario s;
         s.leaf = Parse(CertFactory::Issue(Leaf(), i2));
         s.presented = {Parse(i2), Parse(i1)};
         s.anchors = {Parse(root)};
         s.options = Defaults();
         return s;
       },
       kOk, -1, 4},

      // --- depth: max_depth counts every certificate of the path, leaf and anchor included ---
      {"depth_4_certs_max_4",
       [] {
         Scenario s = Chain(2);
         s.options.max_depth = 4;
         return s;
       },
       kOk, -1, 4},
      {"depth_4_certs_max_3",
       [] {
         Scenario s = Chain(2);
         s.options.max_depth = 3;
         return s;
       },
       VerifyError::kChainTooLong, 2},
      {"depth_limit_applies_before_trust_is_found",
       [] {
         // Nothing is trusted, but OpenSSL stops building at the limit and reports the length.
         Scenario s = Chain(2);
         s.anchors = {Parse(M().other.root)};
         s.options.max_depth = 3;
         return s;
       },
       VerifyError::kChainTooLong, 2},
      {"untrusted_long_chain_within_limit",
       [] {
         Scenario s = Chain(2);
         s.anchors = {Parse(M().other.root)};
         return s;
       },
       VerifyError::kUntrusted},
      {"depth_3_certs_max_3",
       [] {
         Scenario s = Chain(1);
         s.options.max_depth = 3;
         return s;
       },
       kOk, -1, 3},
      {"depth_3_certs_max_2",
       [] {
         Scenario s = Chain(1);
         s.options.max_depth = 2;
         return s;
       },
       VerifyError::kChainTooLong, 1},
      {"depth_2_certs_max_2",
       [] {
         Scenario s = Chain(0);
         s.options.max_depth = 2;
         return s;
       },
       kOk, -1, 2},
      {"depth_2_certs_max_1",
       [] {
         Scenario s = Chain(0);
         s.options.max_depth = 1;
         return s;
       },
       VerifyError::kChainTooLong, 0},
      {"depth_1_cert_max_1",
       [] {
         TestCert self = CertFactory::SelfSigned(Leaf("self.example.com"));
         Scenario s;
         s.leaf = Parse(self);
         s.anchors = {Parse(self)};
         s.options = Defaults();
         s.options.max_depth = 1;
         return s;
       },
       kOk, -1, 1},
      {"depth_6_certs_default_max_5", [] { return Chain(4); }, VerifyError::kChainTooLong, 4},
      {"depth_5_certs_default_max_5", [] { return Chain(3); }, kOk, -1, 5},
      {"partial_chain_depth_counts_anchor",
       [] {
         Scenario s = Three(M().ec);
         s.anchors = s.presented;
         s.presented.clear();
         s.options.max_depth = 1;
         return s;
       },
       VerifyError::kChainTooLong, 0},

      // --- revocation ---
      {"crl_leaf_not_revoked", [] { return CrlScenario({C().inter_crl(false)}, RevocationScope::kEndCertificate); },
       kOk, -1, 3},
      {"crl_leaf_revoked", [] { return CrlScenario({C().inter_crl(true)}, RevocationScope::kEndCertificate); },
       VerifyError::kRevoked, 0},
      {"crl_missing_for_leaf", [] { return CrlScenario({C().root_crl(false)}, RevocationScope::kEndCertificate); },
       VerifyError::kRevocationUnknown, 0},
      {"crl_intermediate_revoked_end_only_ignored",
       [] {
         return CrlScenario({C().inter_crl(false), C().root_crl(true)}, RevocationScope::kEndCertificate);
       },
       kOk, -1, 3},
      {"crl_intermediate_revoked_entire_chain",
       [] {
         return CrlScenario({C().inter_crl(false), C().root_crl(true)}, RevocationScope::kEntireChain);
       },
       VerifyError::kRevoked, 1},
      {"crl_intermediate_revoked_exclude_root",
       [] {
         return CrlScenario({C().inter_crl(false), C().root_crl(true)}, RevocationScope::kExcludeRoot);
       },
       VerifyError::kRevoked, 1},
      {"crl_entire_chain_all_good",
       [] {
         return CrlScenario({C().inter_crl(false), C().root_crl(false)}, RevocationScope::kEntireChain);
       },
       kOk, -1, 3},
      {"crl_entire_chain_missing_root_crl",
       [] { return CrlScenario({C().inter_crl(false)}, RevocationScope::kEntireChain); },
       VerifyError::kRevocationUnknown, 1},
      {"crl_exclude_root_missing_root_crl",
       [] { return CrlScenario({C().inter_crl(false)}, RevocationScope::kExcludeRoot); },
       VerifyError::kRevocationUnknown, 1},
      {"crl_root_revokes_itself_entire_chain",
       [] {
         return CrlScenario({C().inter_crl(false), C().root_crl(false, true)}, RevocationScope::kEntireChain);
       },
       VerifyError::kRevoked, 2},
      {"crl_root_revokes_itself_exclude_root",
       [] {
         return CrlScenario({C().inter_crl(false), C().root_crl(false, true)}, RevocationScope::kExcludeRoot);
       },
       kOk, -1, 3},
      {"crl_partial_chain_anchor_status_entire_chain",
       [] {
         Scenario s = CrlScenario({C().inter_crl(false)}, RevocationScope::kEntireChain);
         s.anchors = {C().inter};
         s.presented.clear();
         return s;
       },
       VerifyError::kRevocationUnknown, 1},
      {"crl_partial_chain_anchor_status_exclude_root",
       [] {
         Scenario s = CrlScenario({C().inter_crl(false)}, RevocationScope::kExcludeRoot);
         s.anchors = {C().inter};
         s.presented.clear();
         return s;
       },
       kOk, -1, 2},
      {"crl_stale_fail_closed",
       [] {
         return CrlScenario({C().inter_crl(false, kNow - absl::Hours(48), kNow - absl::Hours(1))},
                            RevocationScope::kEndCertificate);
       },
       VerifyError::kRevocationUnknown, 0},
      {"crl_stale_soft_fail",
       [] {
         Scenario s = CrlScenario({C().inter_crl(false, kNow - absl::Hours(48), kNow - absl::Hours(1))},
                                  RevocationScope::kEndCertificate);
         s.options.crl_soft_fail = true;
         return s;
       },
       kOk, -1, 3, /*want_crl_stale=*/true},
      {"crl_stale_soft_fail_still_reports_revoked",
       [] {
         Scenario s = CrlScenario({C().inter_crl(true, kNow - absl::Hours(48), kNow - absl::Hours(1))},
                                  RevocationScope::kEndCertificate);
         s.options.crl_soft_fail = true;
         return s;
       },
       VerifyError::kRevoked, 0},
      {"crl_stale_within_skew_is_fresh",
       [] {
         Scenario s = CrlScenario({C().inter_crl(false, kNow - absl::Hours(48), kNow - absl::Seconds(30))},
                                  RevocationScope::kEndCertificate);
         s.options.clock_skew = absl::Seconds(60);
         return s;
       },
       kOk, -1, 3},
      {"crl_not_yet_valid",
       [] {
         return CrlScenario({C().inter_crl(false, kNow + absl::Hours(1), kNow + absl::Hours(48))},
                            RevocationScope::kEndCertificate);
       },
       VerifyError::kRevocationUnknown, 0},
      {"crl_without_next_update_is_never_stale",
       [] {
         return CrlScenario({C().inter_crl(false, kNow - absl::Hours(1), absl::InfiniteFuture())},
                            RevocationScope::kEndCertificate);
       },
       kOk, -1, 3},
      {"crl_signed_by_wrong_key",
       [] {
         // Same issuer name as the genuine intermediate, different key.
         CertSpec fake = Ca("Test Intermediate CA");
         fake.subject_extra = {{"O", "certguard tests"}};
         TestCert impostor = CertFactory::SelfSigned(fake);
         std::string crl = CertFactory::CrlPem(impostor, {{C().pki.leaf.serial_hex(), kNow}}, kNow - absl::Hours(1),
                                               kNow + absl::Hours(24));
         return CrlScenario({crl}, RevocationScope::kEndCertificate);
       },
       VerifyError::kRevocationUnknown, 0},
      {"crl_signed_by_wrong_key_ignored_next_to_genuine",
       [] {
         CertSpec fake = Ca("Test Intermediate CA");
         fake.subject_extra = {{"O", "certguard tests"}};
         TestCert impostor = CertFactory::SelfSigned(fake);
         std::string crl = CertFactory::CrlPem(impostor, {{C().pki.leaf.serial_hex(), kNow}}, kNow - absl::Hours(1),
                                               kNow + absl::Hours(24));
         return CrlScenario({crl, C().inter_crl(false)}, RevocationScope::kEndCertificate);
       },
       kOk, -1, 3},
      {"crl_tampered_signature",
       [] {
         Scenario s = CrlScenario({}, RevocationScope::kEndCertificate);
         std::vector<CrlPtr> good = ParseCrls(C().inter_crl(true));
         unsigned char* der = nullptr;
         int len = i2d_X509_CRL(good[0]->raw(), &der);
         std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
         OPENSSL_free(der);
         s.crls = ParseCrls(TamperLastByte(bytes));
         return s;
       },
       VerifyError::kRevocationUnknown, 0},
      {"crl_of_unrelated_issuer_only",
       [] {
         std::string crl =
             CertFactory::CrlPem(M().other.intermediate, {}, kNow - absl::Hours(1), kNow + absl::Hours(24));
         return CrlScenario({crl}, RevocationScope::kEndCertificate);
       },
       VerifyError::kRevocationUnknown, 0},
      {"crl_checked_before_expiry",
       [] {
         // A revoked and expired leaf: revocation is reported (OpenSSL checks CRLs first).
         CertSpec leaf = LeafValid(kLongAgo, kNow - absl::Hours(1));
         leaf.serial_hex = "7E57";
         Scenario s = CrlScenario({CertFactory::CrlPem(C().pki.intermediate, {{"7E57", kNow - absl::Hours(2)}},
                                                       kNow - absl::Hours(1), kNow + absl::Hours(1))},
                                  RevocationScope::kEndCertificate);
         s.leaf = Parse(CertFactory::Issue(leaf, C().pki.intermediate));
         return s;
       },
       VerifyError::kRevoked, 0},
  };
  return cases;
}

class ChainVerifierTest : public ::testing::TestWithParam<Case> {};

TEST_P(ChainVerifierTest, Verifies) {
  const Case& c = GetParam();
  Scenario s = c.make();
  ASSERT_NE(s.leaf, nullptr);
  auto store = TrustStore::Create(s.anchors, s.store_intermediates);
  ASSERT_TRUE(store.ok()) << store.status();
  s.options.crls = s.crls;
  VerifyResult r = VerifyChain(*s.leaf, s.presented, **store, s.options);
  RecordProperty("verify_message", r.message);
  EXPECT_EQ(VerifyErrorName(r.error), VerifyErrorName(c.want)) << r.message;
  EXPECT_EQ(r.crl_stale, c.want_crl_stale);
  if (c.want == VerifyError::kNone) {
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.message.empty()) << r.message;
    ASSERT_EQ(r.path.size(), c.want_path_len);
    EXPECT_EQ(r.path.front().get(), s.leaf.get());
    EXPECT_TRUE((*store)->IsAnchor(*r.path.back()));
    for (size_t i = 0; i + 1 < r.path.size(); ++i) {  // each element issued by the next
      EXPECT_EQ(r.path[i]->info().issuer_dn, r.path[i + 1]->info().subject_dn) << i;
    }
  } else {
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.path.empty());
    EXPECT_FALSE(r.message.empty());
    if (c.want_depth >= 0) {
      EXPECT_EQ(r.error_depth, c.want_depth) << r.message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ChainVerifierTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(ChainVerifierDetailTest, RevocationTimeComesFromCrlEntry) {
  Scenario s = CrlScenario({C().inter_crl(true)}, RevocationScope::kEndCertificate);
  auto store = TrustStore::Create(s.anchors, {});
  ASSERT_TRUE(store.ok());
  s.options.crls = s.crls;
  VerifyResult r = VerifyChain(*s.leaf, s.presented, **store, s.options);
  ASSERT_EQ(r.error, VerifyError::kRevoked) << r.message;
  EXPECT_EQ(r.revocation_time, C().revoked_at);
  EXPECT_THAT(r.message, HasSubstr("certificate revoked"));
  EXPECT_THAT(r.message, HasSubstr("CN=crl-client.example.com"));
}

TEST(ChainVerifierDetailTest, PathReusesGivenObjects) {
  Scenario s = Three(M().ec);
  std::vector<CertificatePtr> store_intermediates = {Parse(M().ec.intermediate)};
  auto store = TrustStore::Create(s.anchors, store_intermediates);
  ASSERT_TRUE(store.ok());
  // Presented intermediate wins over (or equals) the store's; either object may be chosen, but
  // the path must consist of the very objects handed in.
  VerifyResult r = VerifyChain(*s.leaf, s.presented, **store, s.options);
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.path.size(), 3u);
  EXPECT_EQ(r.path[0].get(), s.leaf.get());
  EXPECT_TRUE(r.path[1] == s.presented[0] || r.path[1] == store_intermediates[0]);
  EXPECT_EQ(r.path[2], s.anchors[0]);

  VerifyResult from_store = VerifyChain(*s.leaf, {}, **store, s.options);
  ASSERT_TRUE(from_store.ok()) << from_store.message;
  EXPECT_EQ(from_store.path[1], (*store)->intermediates()[0]);
}

TEST(ChainVerifierDetailTest, MessageNamesFailingCertificateAndIsBounded) {
  CertSpec inter = CaValid(kLongAgo, kNow - absl::Hours(1));
  inter.cn = std::string(60, 'x');
  for (int i = 0; i < 6; ++i) inter.subject_extra.push_back({"OU", std::string(60, 'y')});
  Scenario s = WithIntermediate(inter);
  auto store = TrustStore::Create(s.anchors, {});
  ASSERT_TRUE(store.ok());
  VerifyResult r = VerifyChain(*s.leaf, s.presented, **store, s.options);
  ASSERT_EQ(r.error, VerifyError::kExpired);
  EXPECT_THAT(r.message, HasSubstr("certificate has expired"));
  EXPECT_THAT(r.message, HasSubstr("CN=xxxxxxxx"));
  EXPECT_LT(r.message.size(), 400u);
}

TEST(ChainVerifierDetailTest, SameStoreIsReusableAndIndependentPerCall) {
  Scenario good = Three(M().ec);
  auto store = TrustStore::Create(good.anchors, {});
  ASSERT_TRUE(store.ok());
  CertificatePtr expired = Parse(CertFactory::Issue(LeafValid(kLongAgo, kNow - absl::Hours(1)), M().ec.intermediate));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(VerifyChain(*good.leaf, good.presented, **store, good.options).ok());
    EXPECT_EQ(VerifyChain(*expired, good.presented, **store, good.options).error, VerifyError::kExpired);
  }
}

TEST(ChainVerifierDetailTest, ConcurrentVerification) {
  Scenario good = Three(M().ec);
  Scenario revoked = CrlScenario({C().inter_crl(true)}, RevocationScope::kEndCertificate);
  auto store = TrustStore::Create(good.anchors, {});
  auto crl_store = TrustStore::Create(revoked.anchors, {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(crl_store.ok());
  revoked.options.crls = revoked.crls;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (!VerifyChain(*good.leaf, good.presented, **store, good.options).ok()) ++failures[t];
        if (VerifyChain(*revoked.leaf, revoked.presented, **crl_store, revoked.options).error !=
            VerifyError::kRevoked) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(ChainVerifierDetailTest, ZeroMaxDepthRefusesEverything) {
  Scenario s = Three(M().ec);
  s.options.max_depth = 0;
  auto store = TrustStore::Create(s.anchors, {});
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(VerifyChain(*s.leaf, s.presented, **store, s.options).error, VerifyError::kChainTooLong);
}

}  // namespace
}  // namespace certguard::x509
