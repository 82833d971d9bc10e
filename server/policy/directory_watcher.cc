#include "server/policy/directory_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace certguard::policy {
namespace {

void AppendStat(const std::string& path, std::string* out) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    absl::StrAppend(out, path, ":missing\n");
    return;
  }
  absl::StrAppend(out, path, ":", st.st_ino, ":", st.st_size, ":", st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec, "\n");
}

}  // namespace

std::string DirectoryWatcher::Fingerprint(const std::string& dir, const std::vector<std::string>& files) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    paths.push_back(it->path().string());
    if (fs::is_directory(it->path(), ec)) {  // e.g. ConfigMap's ..data -> ..2026_01_01_...
      for (fs::directory_iterator sub(it->path(), ec); !ec && sub != end; sub.increment(ec)) {
        paths.push_back(sub->path().string());
      }
      ec.clear();
    }
  }
  std::string out = ec ? "unreadable\n" : "";
  std::sort(paths.begin(), paths.end());
  for (const std::string& p : paths) AppendStat(p, &out);
  for (const std::string& f : files) AppendStat(f, &out);
  return out;
}

DirectoryWatcher::DirectoryWatcher(std::string dir, std::function<std::vector<std::string>()> extra_files,
                                   std::function<void()> on_change, absl::Duration interval)
    : dir_(std::move(dir)),
      extra_files_(std::move(extra_files)),
      on_change_(std::move(on_change)),
      interval_(interval),
      last_(Fingerprint(dir_, extra_files_())),  // changes after construction are all seen
      thread_([this] { Run(); }) {}

DirectoryWatcher::~DirectoryWatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void DirectoryWatcher::Run() {
  std::string reported = last_;  // the state last reported (or seen at construction)
  std::string previous = last_;  // the state the previous poll saw
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    std::string now = Fingerprint(dir_, extra_files_());
    // Report a new state once it has held for two polls in a row (no write in between).
    // A change made while the callback runs differs from `reported` and is reported later.
    const bool report = now != reported && now == previous;
    previous = now;
    if (report) {
      reported = std::move(now);
      on_change_();
    }
    lock.lock();
  }
}

}  // namespace certguard::policy
