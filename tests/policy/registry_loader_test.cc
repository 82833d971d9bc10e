// Registry loading: file discovery, YAML -> proto conversion errors (file, policy, field),
// duplicates, referenced files, defaults, revisions.
#include "server/policy/registry_loader.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::policy {
namespace {

using ::certguard::testing::CertFactory;
using ::certguard::testing::RegistryBuilder;
using ::certguard::testing::TestNow;
using ::testing::HasSubstr;

const std::string& RootPem() {
  static const std::string* pem = new std::string(CertFactory::SelfSigned({.cn = "Loader Root", .is_ca = true}).pem());
  return *pem;
}

struct BadCase {
  std::string name;
  std::string yaml;
  std::string expected;  // substring of the error
};

class BadPolicyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPolicyTest, IsALoadErrorNamingTheProblem) {
  RegistryBuilder b;
  b.File("root.pem", RootPem()).Policy("bad.yaml", GetParam().yaml);
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.registry, nullptr);
  EXPECT_THAT(result.ErrorSummary(), HasSubstr(GetParam().expected));
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("bad.yaml"));
}

const std::string kTrust = "trust: {anchor_files: [root.pem]}\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPolicyTest,
    ::testing::Values(
        BadCase{"invalid_yaml", "id: [unclosed\n", "invalid YAML"},
        // yaml-cpp 0.7.0 would loop forever on these (found by fuzz/policy_loader_fuzz).
        BadCase{"lone_comma", ",", "invalid YAML"}, BadCase{"comma_after_list", "- a\n,", "invalid YAML"},
        BadCase{"tagged_comma", "!!str ,", "invalid YAML"},
        BadCase{"invalid_utf8", "id: a\n" + kTrust + "description: \"caf\xc3\"\n",
                "description (line 3): the value is not valid UTF-8"},
        BadCase{"overlong_utf8", "id: a\n" + kTrust + "exclusion_paths: [\"/\xc0\xaf\"]\n", "not valid UTF-8"},
        BadCase{"unknown_field", "id: a\n" + kTrust + "colour: blue\n", "colour (line 3): unknown field"},
        BadCase{"unknown_nested_field", "id: a\ntrust: {anchor_files: [root.pem], anchors: x}\n", "trust.anchors"},
        BadCase{"bad_enum", "id: a\n" + kTrust + "client_certificate_mode: SOMETIMES\n",
                "\"SOMETIMES\" is not one of REQUIRED, OPTIONAL, OPTIONAL_INTERACTIVE_USER"},
        BadCase{"bad_bool", "id: a\n" + kTrust + "require_https: maybe\n", "require_https"},
        BadCase{"bad_number", "id: a\ntrust: {anchor_files: [root.pem], max_chain_depth: -3}\n", "max_chain_depth"},
        BadCase{"missing_id", kTrust, "id: \"\" is not a valid policy id"},
        BadCase{"bad_id", "id: \"a b\"\n" + kTrust, "not a valid policy id"},
        BadCase{"no_anchors", "id: a\n", "trust: no trust anchors"},
        BadCase{"missing_anchor_file", "id: a\ntrust: {anchor_files: [nope.pem]}\n", "trust.anchor_files[0]"},
        BadCase{"anchor_not_pem", "id: a\ntrust: {anchors_pem: [\"hello\"]}\n", "trust.anchors_pem[0]"},
        BadCase{"bad_thumbprint", "id: a\n" + kTrust + "identity: {thumbprints: [xyz]}\n", "identity: thumbprints"},
        BadCase{"bad_caller", "id: a\n" + kTrust + "callers: [payments]\n", "callers: 'payments': expected spiffe://"},
        BadCase{"short_thumbprint", "id: a\n" + kTrust + "identity: {thumbprints: [ABCD]}\n",
                "expected a SHA-1 (40) or SHA-256 (64)"},
        BadCase{"bad_eku", "id: a\n" + kTrust + "extended_key_usage: {allowed: [fooAuth]}\n",
                "extended_key_usage.allowed"},
        BadCase{"bad_key_usage", "id: a\n" + kTrust + "key_usage: {required: [signing]}\n", "key_usage.required"},
        BadCase{"bad_exclusion", "id: a\n" + kTrust + "exclusion_paths: [health]\n", "exclusion_paths[0]"},
        BadCase{"bad_format", "id: a\n" + kTrust + "headers: {formats: [JPEG]}\n", "headers.formats[0]"},
        BadCase{"bad_xfcc_element", "id: a\n" + kTrust + "headers: {xfcc_element: middle}\n", "headers.xfcc_element"},
        BadCase{"bad_san", "id: a\n" + kTrust + "identity: {san: [{type: URI, wildcard: \"*.x\"}]}\n",
                "wildcard: only for type DNS"},
        BadCase{"empty_identity", "id: a\n" + kTrust + "identities: [{name: x}]\n", "identities[0]"},
        BadCase{"duplicate_key", "id: a\nid: b\n" + kTrust, "duplicate field"},
        BadCase{"scalar_for_message", "id: a\ntrust: 5\n", "expected a mapping"},
        BadCase{"list_for_scalar", "id: [a]\n" + kTrust, "expected a scalar"},
        BadCase{"policies_with_extra", "policies: []\nother: 1\n", "no other top-level keys"},
        BadCase{"empty_file", "# nothing\n", "holds no policy"},
        BadCase{"min_over_max", "id: a\n" + kTrust + "key_rules: {min_rsa_bits: 4096, max_rsa_bits: 2048}\n",
                "min_rsa_bits is above"}),
    [](const auto& info) { return info.param.name; });

TEST(RegistryLoaderTest, DuplicateIdsAcrossFilesAreAnError) {
  RegistryBuilder b;
  b.File("root.pem", RootPem()).Policy("a.yaml", "id: same\n" + kTrust).Policy("b.yaml", "id: same\n" + kTrust);
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("policy 'same': id: duplicate policy id"));
}

TEST(RegistryLoaderTest, ReportsEveryErrorNotJustTheFirst) {
  RegistryBuilder b;
  b.File("root.pem", RootPem())
      .Policy("a.yaml", "id: a\n" + kTrust + "bogus: 1\n")
      .Policy("b.yaml", "id: b\n")
      .Policy("c.yaml", "id: c\n" + kTrust);
  LoadResult result = b.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors.size(), 2u) << result.ErrorSummary();
}

TEST(RegistryLoaderTest, LoadsSeveralPoliciesPerFileAndSeveralForms) {
  RegistryBuilder b;
  b.File("root.pem", RootPem())
      .Policy("list.yaml", "policies:\n  - id: a\n    " + kTrust + "  - id: b\n    " + kTrust)
      .Policy("single.yml", "id: c\n" + kTrust)
      .Policy("docs.yaml", "id: d\n" + kTrust + "---\nid: e\n" + kTrust)
      .File("README.md", "not a policy")
      .File(".hidden.yaml", "garbage: [");
  RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(registry->policies().size(), 5u);
  for (const char* id : {"a", "b", "c", "d", "e"}) EXPECT_NE(registry->Find(id), nullptr) << id;
  EXPECT_EQ(registry->Find("z"), nullptr);
  EXPECT_EQ(registry->loaded_at(), TestNow());
  EXPECT_EQ(registry->revision().size(), 16u);
}

TEST(RegistryLoaderTest, AcceptsValidUtf8) {
  RegistryBuilder b;
  b.File("root.pem", RootPem())
      .Policy("a.yaml", "id: a\n" + kTrust + "description: \"caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x94\x91\"\n");
  RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(registry->Find("a")->Effective().description(), "caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x94\x91");
}

TEST(RegistryLoaderTest, FillsDefaultsInTheEffectiveConfiguration) {
  RegistryBuilder b;
  b.File("root.pem", RootPem()).Policy("a.yaml", "id: a\n" + kTrust);
  RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  const v1::Policy p = registry->Find("a")->Effective();
  EXPECT_EQ(p.client_certificate_mode(), v1::REQUIRED);
  EXPECT_TRUE(p.require_https());
  EXPECT_EQ(p.trust().allowed_certificate_types(), v1::CHAINED);
  EXPECT_EQ(p.trust().max_chain_depth(), 5u);
  EXPECT_TRUE(p.validity().check());
  EXPECT_THAT(p.extended_key_usage().allowed(), ::testing::ElementsAre("clientAuth"));
  EXPECT_EQ(p.key_rules().min_rsa_bits(), 2048u);
  EXPECT_EQ(p.key_rules().max_rsa_bits(), 8192u);
  EXPECT_EQ(p.headers().max_header_bytes(), 65536u);
  EXPECT_EQ(p.headers().max_certificates(), 10u);
  EXPECT_TRUE(p.strict().enabled());
}

TEST(RegistryLoaderTest, RevisionIsAContentHash) {
  RegistryBuilder a, b, c;
  a.File("root.pem", RootPem()).Policy("p.yaml", "id: a\n" + kTrust);
  b.File("root.pem", RootPem()).Policy("p.yaml", "id: a\n" + kTrust);
  c.File("root.pem", RootPem()).Policy("p.yaml", "id: a\n" + kTrust + "require_https: false\n");
  EXPECT_EQ(a.LoadOk()->revision(), b.LoadOk()->revision());  // same content, other directory
  EXPECT_NE(a.LoadOk()->revision(), c.LoadOk()->revision());
  // A referenced file is part of the registry.
  RegistryBuilder d;
  d.File("root.pem", CertFactory::SelfSigned({.cn = "Other", .is_ca = true}).pem())
      .Policy("p.yaml", "id: a\n" + kTrust);
  EXPECT_NE(a.LoadOk()->revision(), d.LoadOk()->revision());
}

TEST(RegistryLoaderTest, PoliciesSharingABundleShareOneTrustStore) {
  RegistryBuilder b;
  b.File("root.pem", RootPem()).Policy("p.yaml", "policies:\n  - id: a\n    " + kTrust + "  - id: b\n    " + kTrust);
  RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(registry->Find("a")->trust.get(), registry->Find("b")->trust.get());
}

TEST(RegistryLoaderTest, PoliciesWithEqualSettingsShareRulesAndDifferentOnesDoNot) {
  RegistryBuilder b;
  b.File("root.pem", RootPem())
      .Policy("p.yaml", "policies:\n  - id: a\n    " + kTrust + "  - id: b\n    " + kTrust + "  - id: c\n    " +
                            kTrust + "    key_rules: {min_rsa_bits: 3072}\n");
  RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  const CompiledPolicy* a = registry->Find("a");
  const CompiledPolicy* bp = registry->Find("b");
  const CompiledPolicy* c = registry->Find("c");
  ASSERT_FALSE(a->rules.empty());
  ASSERT_EQ(a->rules.size(), bp->rules.size());
  for (size_t i = 0; i < a->rules.size(); ++i) EXPECT_EQ(a->rules[i].get(), bp->rules[i].get()) << i;
  ASSERT_EQ(a->pre_verification_rules.size(), 1u);
  ASSERT_EQ(c->pre_verification_rules.size(), 1u);
  EXPECT_EQ(a->pre_verification_rules[0].get(), bp->pre_verification_rules[0].get());
  EXPECT_NE(a->pre_verification_rules[0].get(), c->pre_verification_rules[0].get());  // other key rules
  // The effective configuration is still per policy.
  EXPECT_EQ(c->Effective().key_rules().min_rsa_bits(), 3072);
  EXPECT_NE(a->Effective().key_rules().min_rsa_bits(), 3072);
}

TEST(RegistryLoaderTest, MissingOrEmptyDirectory) {
  EXPECT_FALSE(LoadRegistry("/nonexistent/certguard", TestNow()).ok());
  RegistryBuilder empty;
  LoadResult result = empty.Load();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.ErrorSummary(), HasSubstr("no policy files"));
}

TEST(RegistryLoaderTest, KubernetesConfigMapLayoutLoadsOnce) {
  // ConfigMap volumes: ..2024_01_01/p.yaml, ..data -> ..2024_01_01, p.yaml -> ..data/p.yaml
  namespace fs = std::filesystem;
  RegistryBuilder b;
  b.File("..2026_01_01/p.yaml", "id: a\ntrust: {anchor_files: [root.pem]}\n").File("..2026_01_01/root.pem", RootPem());
  fs::create_directory_symlink("..2026_01_01", b.dir() + "/..data");
  fs::create_symlink("..data/p.yaml", b.dir() + "/p.yaml");
  fs::create_symlink("..data/root.pem", b.dir() + "/root.pem");
  RegistryPtr registry = b.LoadOk();
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(registry->policies().size(), 1u);
}

}  // namespace
}  // namespace certguard::policy
