#include "tests/testing/registry_builder.h"

#include <gtest/gtest.h>

#include "tests/testing/cert_factory.h"

namespace certguard::testing {

RegistryBuilder::RegistryBuilder() : dir_(MakeTempDir("registry")) {}

RegistryBuilder& RegistryBuilder::File(const std::string& name, const std::string& contents) {
  WriteFile(dir_ + "/" + name, contents);
  return *this;
}

RegistryBuilder& RegistryBuilder::Policy(const std::string& name, const std::string& text) { return File(name, text); }

policy::LoadResult RegistryBuilder::Load() const { return policy::LoadRegistry(dir_, TestNow()); }

policy::RegistryPtr RegistryBuilder::LoadOk() const {
  policy::LoadResult result = Load();
  EXPECT_TRUE(result.ok()) << result.ErrorSummary();
  return result.registry;
}

}  // namespace certguard::testing
