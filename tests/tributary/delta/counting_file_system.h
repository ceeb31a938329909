#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "forwarding_file_system.h"

namespace tributary::delta::testing {

/// The local file system, remembering which files were opened for reading (ReadFile,
/// ReadRange, Stat), as absolute paths.
class CountingFileSystem : public ForwardingFileSystem {
 public:
  /// The files read since construction or the last Reset().
  std::set<std::string> files_read() const {
    std::lock_guard lock(mutex_);
    return files_read_;
  }
  int64_t listings() const {
    std::lock_guard lock(mutex_);
    return listings_;
  }
  void Reset() {
    std::lock_guard lock(mutex_);
    files_read_.clear();
    listings_ = 0;
  }

  Result<io::FileInfo> Stat(const std::string& path) override {
    Record(path);
    return ForwardingFileSystem::Stat(path);
  }
  Result<std::vector<io::FileInfo>> ListDirectory(const std::string& path) override {
    {
      std::lock_guard lock(mutex_);
      ++listings_;
    }
    return ForwardingFileSystem::ListDirectory(path);
  }
  Result<std::string> ReadFile(const std::string& path) override {
    Record(path);
    return ForwardingFileSystem::ReadFile(path);
  }
  Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length) override {
    Record(path);
    return ForwardingFileSystem::ReadRange(path, offset, length);
  }

 private:
  void Record(const std::string& path) {
    std::lock_guard lock(mutex_);
    files_read_.insert(io::AbsolutePath(path));
  }

  mutable std::mutex mutex_;
  std::set<std::string> files_read_;
  int64_t listings_ = 0;
};

}  // namespace tributary::delta::testing
