#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "tributary/io/file_system.h"

namespace tributary::delta::testing {

/// The local file system, remembering which files were opened for reading (ReadFile,
/// ReadRange, Stat), as absolute paths.
class CountingFileSystem : public io::FileSystem {
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
    return local_->Stat(path);
  }
  Result<bool> Exists(const std::string& path) override { return local_->Exists(path); }
  Result<std::vector<io::FileInfo>> ListDirectory(const std::string& path) override {
    {
      std::lock_guard lock(mutex_);
      ++listings_;
    }
    return local_->ListDirectory(path);
  }
  Result<std::string> ReadFile(const std::string& path) override {
    Record(path);
    return local_->ReadFile(path);
  }
  Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length) override {
    Record(path);
    return local_->ReadRange(path, offset, length);
  }
  Result<std::unique_ptr<io::OutputStream>> OpenOutputStream(const std::string& path) override {
    return local_->OpenOutputStream(path);
  }
  Status WriteFileAtomic(const std::string& path, std::string_view content) override {
    return local_->WriteFileAtomic(path, content);
  }
  Status PutIfAbsent(const std::string& path, std::string_view content) override {
    return local_->PutIfAbsent(path, content);
  }
  Status CreateDirectories(const std::string& path) override {
    return local_->CreateDirectories(path);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    return local_->Rename(from, to);
  }
  Status DeleteFile(const std::string& path) override { return local_->DeleteFile(path); }
  Status DeleteRecursive(const std::string& path) override { return local_->DeleteRecursive(path); }

 private:
  void Record(const std::string& path) {
    std::lock_guard lock(mutex_);
    files_read_.insert(io::AbsolutePath(path));
  }

  std::shared_ptr<io::FileSystem> local_ = io::LocalFileSystem();
  mutable std::mutex mutex_;
  std::set<std::string> files_read_;
  int64_t listings_ = 0;
};

}  // namespace tributary::delta::testing
