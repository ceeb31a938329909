#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "forwarding_file_system.h"

namespace tributary::delta::testing {

/// A FileSystem that forwards to another and injects the failures a commit must
/// survive, on paths containing `target` (e.g. "_delta_log/00000000000000000003.json"):
/// a put that writes and then reports an error (the process or network dies after the
/// write), a put that reports an error without writing, and reads that fail. It also
/// counts reads of commit files and directory listings, to show what a retry costs.
class FaultyFileSystem : public ForwardingFileSystem {
 public:
  explicit FaultyFileSystem(std::shared_ptr<io::FileSystem> inner) : ForwardingFileSystem(std::move(inner)) {}

  /// Paths the faults apply to (substring match); empty matches every path.
  std::string target;
  /// The next this many matching puts write the file, then return IOError.
  std::atomic<int> puts_failing_after_write{0};
  /// The next this many matching puts return IOError without writing.
  std::atomic<int> puts_failing_before_write{0};
  /// The next this many matching puts write the file, then return AlreadyExists (an
  /// object store retrying a put whose first try landed).
  std::atomic<int> puts_reporting_exists_after_write{0};
  /// Called with the path after a put failed without writing (to let another writer in).
  std::function<void(const std::string&)> after_failed_put;
  /// The next this many reads of matching paths return IOError.
  std::atomic<int> reads_failing{0};

  std::atomic<int> commit_reads{0};
  std::atomic<int> listings{0};

  Result<std::vector<io::FileInfo>> ListDirectory(const std::string& path) override {
    ++listings;
    return ForwardingFileSystem::ListDirectory(path);
  }
  Result<std::string> ReadFile(const std::string& path) override {
    if (path.find("_delta_log/") != std::string::npos && path.size() > 5 &&
        path.compare(path.size() - 5, 5, ".json") == 0) {
      ++commit_reads;
    }
    if (Matches(path) && Take(reads_failing)) {
      return Status::IOError("injected: cannot read '{}': connection reset", path);
    }
    return ForwardingFileSystem::ReadFile(path);
  }
  Status PutIfAbsent(const std::string& path, std::string_view content) override {
    if (Matches(path) && Take(puts_failing_before_write)) {
      if (after_failed_put) after_failed_put(path);
      return Status::IOError("injected: cannot write '{}': connection reset before the upload", path);
    }
    Status put = ForwardingFileSystem::PutIfAbsent(path, content);
    if (put.ok() && Matches(path) && Take(puts_failing_after_write)) {
      return Status::IOError("injected: '{}': timed out waiting for the response", path);
    }
    if (put.ok() && Matches(path) && Take(puts_reporting_exists_after_write)) {
      return Status::AlreadyExists("injected: '{}' already exists (the retried put found the first)", path);
    }
    return put;
  }

 private:
  bool Matches(const std::string& path) const { return path.find(target) != std::string::npos; }
  static bool Take(std::atomic<int>& budget) {
    int left = budget.load();
    while (left > 0) {
      if (budget.compare_exchange_weak(left, left - 1)) return true;
    }
    return false;
  }
};

}  // namespace tributary::delta::testing
