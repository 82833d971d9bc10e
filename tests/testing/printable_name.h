// A row description safe to show in a CTest test name: CMake's gtest discovery puts what
// PrintTo writes into the generated test list, where ';', quotes, '\' or '#' would break it.
#ifndef CERTGUARD_TESTS_TESTING_PRINTABLE_NAME_H_
#define CERTGUARD_TESTS_TESTING_PRINTABLE_NAME_H_

#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace certguard::testing {

// Writes `text` with every character but letters, digits, ' ', '-', '.' and ',' as '_'.
inline void PrintAsTestName(absl::string_view text, std::ostream* os) {
  for (char c : text) {
    const bool safe =
        absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == '.' || c == ',';
    *os << (safe ? c : '_');
  }
}

}  // namespace certguard::testing

#endif  // CERTGUARD_TESTS_TESTING_PRINTABLE_NAME_H_
