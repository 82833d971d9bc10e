// Builds registries for tests: writes PEM files and YAML policy text into a fresh temporary
// directory and loads it with a fixed load time.
#ifndef CERTGUARD_TESTS_TESTING_REGISTRY_BUILDER_H_
#define CERTGUARD_TESTS_TESTING_REGISTRY_BUILDER_H_

#include <string>

#include "server/policy/registry_loader.h"

namespace certguard::testing {

class RegistryBuilder {
 public:
  RegistryBuilder();
  // Writes `contents` to `name` inside the registry directory (e.g. "root.pem").
  RegistryBuilder& File(const std::string& name, const std::string& contents);
  // Adds a policy file `name` with YAML `text`.
  RegistryBuilder& Policy(const std::string& name, const std::string& text);
  const std::string& dir() const { return dir_; }
  policy::LoadResult Load() const;
  // Loads and fails the test (returning null) when there are errors.
  policy::RegistryPtr LoadOk() const;

 private:
  std::string dir_;
};

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_REGISTRY_BUILDER_H_
