// The one way certguard reads a whole file: bounded, so a file that grows between a size check
// and the read (or a device, a FIFO) can never make it read more than asked.
#ifndef CERTGUARD_SERVER_COMMON_FILE_READER_H_
#define CERTGUARD_SERVER_COMMON_FILE_READER_H_

#include <cstddef>
#include <limits>
#include <string>

#include "absl/status/statusor.h"

namespace certguard::common {

inline constexpr size_t kNoFileLimit = std::numeric_limits<size_t>::max() - 1;

// The file's bytes. NOT_FOUND ("cannot open PATH: reason") when it cannot be opened,
// RESOURCE_EXHAUSTED ("PATH is larger than N bytes") when it holds more than `max_bytes` (at most
// max_bytes + 1 bytes are read to know), DATA_LOSS ("error reading PATH") on a read error.
absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes = kNoFileLimit);

}  // namespace certguard::common

#endif  // CERTGUARD_SERVER_COMMON_FILE_READER_H_
