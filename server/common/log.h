// Structured server logs: one JSON object per line on stderr, with a level filter.
// Thread-safe. Values are escaped by the JSON encoder and truncated to kMaxValueBytes, so
// hostile input cannot forge or flood log lines.
#ifndef CERTGUARD_SERVER_COMMON_LOG_H_
#define CERTGUARD_SERVER_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace certguard::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

inline constexpr size_t kMaxValueBytes = 1024;

// Parses "debug", "info", "warning"/"warn", "error"; false on anything else.
bool ParseLevel(absl::string_view text, Level* level);
void SetMinLevel(Level level);
bool Enabled(Level level);

using Field = std::pair<absl::string_view, std::string>;

void Write(Level level, absl::string_view message, std::initializer_list<Field> fields = {});
inline void Info(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kInfo, m, f); }
inline void Warning(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kWarning, m, f); }
inline void Error(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kError, m, f); }
inline void Debug(absl::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kDebug, m, f); }

}  // namespace certguard::log

#endif  // CERTGUARD_SERVER_COMMON_LOG_H_
