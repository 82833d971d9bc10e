#include "server/common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace certguard::log {
namespace {

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};
std::mutex g_write_mutex;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string Bounded(absl::string_view v) {
  if (v.size() <= kMaxValueBytes) return std::string(v);
  return std::string(v.substr(0, kMaxValueBytes)) + "...";
}

}  // namespace

bool ParseLevel(absl::string_view text, Level* level) {
  const std::string t = absl::AsciiStrToLower(text);
  if (t == "debug")
    *level = Level::kDebug;
  else if (t == "info")
    *level = Level::kInfo;
  else if (t == "warning" || t == "warn")
    *level = Level::kWarning;
  else if (t == "error")
    *level = Level::kError;
  else
    return false;
  return true;
}

void SetMinLevel(Level level) { g_min_level.store(static_cast<int>(level)); }
bool Enabled(Level level) { return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed); }

void Write(Level level, absl::string_view message, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  nlohmann::json line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["msg"] = Bounded(message);
  for (const auto& [key, value] : fields) line[std::string(key)] = Bounded(value);
  // Invalid UTF-8 from hostile input is replaced rather than aborting the dump.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace certguard::log
