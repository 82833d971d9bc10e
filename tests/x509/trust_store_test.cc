#include "server/x509/trust_store.h"

#include <openssl/x509_vfy.h>

#include "gtest/gtest.h"
#include "server/x509/openssl_ptr.h"
#include "tests/testing/cert_factory.h"
#include "tests/x509/x509_test_util.h"

namespace certguard::x509 {
namespace {

using ::certguard::testing::MakePki;
using ::certguard::testing::TestNow;
using ::certguard::testing::TestPki;
using ::certguard::x509::testing::Parse;

TEST(TrustStoreTest, NeedsAnchors) {
  TestPki pki = MakePki();
  auto store = TrustStore::Create({}, {Parse(pki.intermediate)});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  auto with_null = TrustStore::Create({nullptr}, {});
  EXPECT_EQ(with_null.status().code(), absl::StatusCode::kInvalidArgument);
  auto null_intermediate = TrustStore::Create({Parse(pki.root)}, {nullptr});
  EXPECT_EQ(null_intermediate.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TrustStoreTest, IsAnchorBySha256) {
  TestPki pki = MakePki();
  TestPki other = MakePki();
  CertificatePtr root = Parse(pki.root);
  auto store = TrustStore::Create({root, Parse(other.root)}, {Parse(pki.intermediate)});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)->IsAnchor(*root));
  EXPECT_TRUE((*store)->IsAnchor(*Parse(pki.root)));  // another object, same DER
  EXPECT_TRUE((*store)->IsAnchor(*Parse(other.root)));
  EXPECT_FALSE((*store)->IsAnchor(*Parse(pki.intermediate)));  // intermediates are not anchors
  EXPECT_FALSE((*store)->IsAnchor(*Parse(pki.leaf)));
  EXPECT_EQ((*store)->anchors().size(), 2u);
  EXPECT_EQ((*store)->intermediates().size(), 1u);
}

TEST(TrustStoreTest, PrebuiltStacksMirrorTheLists) {
  TestPki pki = MakePki();
  CertificatePtr root = Parse(pki.root);
  CertificatePtr inter = Parse(pki.intermediate);
  auto store = TrustStore::Create({root}, {inter});
  ASSERT_TRUE(store.ok());
  ASSERT_EQ(sk_X509_num((*store)->anchor_stack()), 1);
  EXPECT_EQ(sk_X509_value((*store)->anchor_stack(), 0), root->raw());
  ASSERT_EQ(sk_X509_num((*store)->intermediate_stack()), 1);
  EXPECT_EQ(sk_X509_value((*store)->intermediate_stack(), 0), inter->raw());

  auto empty_intermediates = TrustStore::Create({root}, {});
  ASSERT_TRUE(empty_intermediates.ok());
  EXPECT_EQ(sk_X509_num((*empty_intermediates)->intermediate_stack()), 0);
}

TEST(TrustStoreTest, StoreWorksWithBareOpenSsl) {
  TestPki pki = MakePki();
  auto store = TrustStore::Create({Parse(pki.root)}, {Parse(pki.intermediate)});
  ASSERT_TRUE(store.ok());
  CertificatePtr leaf = Parse(pki.leaf);
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  ASSERT_EQ(X509_STORE_CTX_init(ctx.get(), (*store)->store(), leaf->raw(), (*store)->intermediate_stack()), 1);
  X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(TestNow()));
  EXPECT_EQ(X509_verify_cert(ctx.get()), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));

  // Without the intermediate the leaf does not reach the root.
  auto anchors_only = TrustStore::Create({Parse(pki.root)}, {});
  ASSERT_TRUE(anchors_only.ok());
  X509StoreCtxPtr ctx2(X509_STORE_CTX_new());
  ASSERT_EQ(X509_STORE_CTX_init(ctx2.get(), (*anchors_only)->store(), leaf->raw(), nullptr), 1);
  X509_STORE_CTX_set_time(ctx2.get(), 0, absl::ToTimeT(TestNow()));
  EXPECT_NE(X509_verify_cert(ctx2.get()), 1);
}

TEST(TrustStoreTest, OutlivesCallerReferences) {
  TestPki pki = MakePki();
  std::shared_ptr<const TrustStore> store;
  {
    auto created = TrustStore::Create({Parse(pki.root)}, {Parse(pki.intermediate)});
    ASSERT_TRUE(created.ok());
    store = *created;
  }
  // The certificates are owned by the store's lists; its stacks still point at live objects.
  EXPECT_EQ(sk_X509_value(store->anchor_stack(), 0), store->anchors()[0]->raw());
  EXPECT_EQ(store->anchors()[0]->info().subject_cn, "Test Root CA");
}

}  // namespace
}  // namespace certguard::x509
