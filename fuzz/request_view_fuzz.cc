// libFuzzer target for core::ParseRequestView (fuzz/README.md): on any bytes it must agree
// with the generated ValidateCertificateRequest parser, accept for accept and field for field,
// because the ValidateCertificate front end reads requests with it instead.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_contract.h"
#include "tests/testing/request_view_diff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string difference =
      certguard::testing::RequestViewDifference(absl::string_view(reinterpret_cast<const char*>(data), size));
  certguard::fuzz::Check(difference.empty(), "ParseRequestView disagrees with the generated parser");
  return 0;
}
