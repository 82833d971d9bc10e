#include "server/policy/matchers/identity_allowlist.h"

#include <gtest/gtest.h>

namespace certguard::policy {
namespace {

PeerIdentity Peer(std::string spiffe, std::string dn = "CN=someone", std::string sha = std::string(64, 'A')) {
  return {.has_certificate = true, .spiffe_id = std::move(spiffe), .subject_dn = std::move(dn), .sha256_hex = sha};
}

TEST(IdentityAllowlistTest, MatchesEachKindOfEntry) {
  const std::string sha = "ab:CD" + std::string(60, '0');
  auto allow = IdentityAllowlist::Parse(
      {"spiffe://example.org/ns/ops/sa/*", "sha256:" + sha, "dn:CN=operator,O=Example", "spiffe://example.org/exact"});
  ASSERT_TRUE(allow.ok()) << allow.status();
  EXPECT_TRUE(allow->Allows(Peer("spiffe://example.org/ns/ops/sa/deployer")));
  EXPECT_TRUE(allow->Allows(Peer("spiffe://example.org/exact")));
  EXPECT_TRUE(allow->Allows(Peer("", "CN=operator,O=Example")));
  EXPECT_TRUE(allow->Allows(Peer("", "CN=x", "ABCD" + std::string(60, '0'))));  // case and ':' ignored

  EXPECT_FALSE(allow->Allows(Peer("spiffe://example.org/ns/ops/sa/deployer/extra")));  // '*' stays in a segment
  EXPECT_FALSE(allow->Allows(Peer("spiffe://example.org/ns/payments/sa/app")));
  EXPECT_FALSE(allow->Allows(Peer("spiffe://example.org/exact/more")));
  EXPECT_FALSE(allow->Allows(Peer("spiffe://evil.org/ns/ops/sa/deployer")));
  EXPECT_FALSE(allow->Allows(Peer("", "cn=operator,o=Example")));  // DNs compare exactly
  PeerIdentity anonymous;
  EXPECT_FALSE(allow->Allows(anonymous));
}

TEST(IdentityAllowlistTest, EmptyListAllowsNobodyByItself) {
  auto allow = IdentityAllowlist::Parse({});
  ASSERT_TRUE(allow.ok());
  EXPECT_TRUE(allow->empty());
  EXPECT_FALSE(allow->Allows(Peer("spiffe://example.org/a")));
}

TEST(IdentityAllowlistTest, MalformedEntriesAreErrorsNamingThem) {
  for (const char* bad : {"ops", "sha256:00",
                          "sha256:"
                          "zz",
                          "dn:", "spiffe://", "https://example.org/x", ""}) {
    auto allow = IdentityAllowlist::Parse({bad});
    EXPECT_FALSE(allow.ok()) << bad;
    if (!allow.ok()) {
      EXPECT_NE(std::string(allow.status().message()).find(std::string("'") + bad + "'"), std::string::npos) << bad;
    }
  }
}

}  // namespace
}  // namespace certguard::policy
