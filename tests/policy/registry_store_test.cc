// policy::RegistryStore: null before the first publish, readers keep the snapshot they took, and
// concurrent readers and a publisher (the ThreadSanitizer run of
// tests/faults/concurrency_test.cc found that std::atomic<std::shared_ptr> was not race-free).
#include "server/policy/registry_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"
#include "tests/testing/registry_builder.h"

namespace certguard::policy {
namespace {

RegistryPtr MakeRegistry(const std::string& description) {
  testing::RegistryBuilder builder;
  builder.File("root.pem", testing::CertFactory::SelfSigned({.cn = "Store Root", .is_ca = true}).pem());
  builder.Policy("p.yaml", "id: p\ndescription: " + description + "\ntrust: {anchor_files: [root.pem]}\n");
  return builder.LoadOk();
}

TEST(RegistryStoreTest, NullUntilPublishedThenTheLatestSnapshot) {
  RegistryStore store;
  EXPECT_EQ(store.Current(), nullptr);
  const RegistryPtr first = MakeRegistry("one");
  const RegistryPtr second = MakeRegistry("two");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  store.Publish(first);
  const RegistryPtr held = store.Current();
  EXPECT_EQ(held, first);
  store.Publish(second);
  EXPECT_EQ(store.Current(), second);
  EXPECT_EQ(held->revision(), first->revision());  // a reader's snapshot outlives the swap
}

TEST(RegistryStoreTest, ReadersAndAPublisherConcurrently) {
  const RegistryPtr a = MakeRegistry("a");
  const RegistryPtr b = MakeRegistry("b");
  RegistryStore store;
  store.Publish(a);
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const RegistryPtr r = store.Current();
        if (r != a && r != b) wrong.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 2000; ++i) store.Publish(i % 2 == 0 ? b : a);
  stop.store(true);
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace certguard::policy
