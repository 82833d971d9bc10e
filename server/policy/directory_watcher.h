// Watches a policy directory and the files its policies reference, and calls back when any of
// them changes. Polling (stat of every entry, following symlinks) rather than inotify, because
// it sees Kubernetes ConfigMap updates (an atomic swap of the "..data" symlink), files replaced
// by rename, and referenced files outside the directory alike, at a cost of a few stat calls
// per interval.
//
// A change is reported only once two consecutive polls see the same new state: a file that is
// still being written changes between polls and is not reloaded until it has been quiet for a
// whole interval (the loader also refuses files that change while it reads them).
#ifndef CERTGUARD_SERVER_POLICY_DIRECTORY_WATCHER_H_
#define CERTGUARD_SERVER_POLICY_DIRECTORY_WATCHER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace certguard::policy {

class DirectoryWatcher {
 public:
  // `extra_files` returns the referenced files to watch besides the directory (called each poll).
  // `on_change` runs on the watcher's thread, one interval after the last change it reports.
  DirectoryWatcher(std::string dir, std::function<std::vector<std::string>()> extra_files,
                   std::function<void()> on_change, absl::Duration interval);
  ~DirectoryWatcher();  // stops and joins the thread

  // A fingerprint of the directory's entries (names, sizes, mtimes, inodes, following
  // symlinks, one level of subdirectories) and of `files`.
  static std::string Fingerprint(const std::string& dir, const std::vector<std::string>& files);

 private:
  void Run();
  std::string dir_;
  std::function<std::vector<std::string>()> extra_files_;
  std::function<void()> on_change_;
  absl::Duration interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::string last_;    // fingerprint at construction
  std::thread thread_;  // last member: starts after everything above is initialised
};

}  // namespace certguard::policy

#endif  // CERTGUARD_SERVER_POLICY_DIRECTORY_WATCHER_H_
