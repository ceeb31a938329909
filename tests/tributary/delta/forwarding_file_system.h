#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tributary/io/file_system.h"

namespace tributary::delta::testing {

/// A FileSystem that forwards every call to the one it wraps (the local disk by
/// default). Test wrappers derive from it and override only the calls they observe or
/// break.
class ForwardingFileSystem : public io::FileSystem {
 public:
  explicit ForwardingFileSystem(std::shared_ptr<io::FileSystem> inner = io::LocalFileSystem())
      : inner_(std::move(inner)) {}

  Result<io::FileInfo> Stat(const std::string& path) override { return inner_->Stat(path); }
  Result<bool> Exists(const std::string& path) override { return inner_->Exists(path); }
  Result<std::vector<io::FileInfo>> ListDirectory(const std::string& path) override {
    return inner_->ListDirectory(path);
  }
  Result<std::string> ReadFile(const std::string& path) override { return inner_->ReadFile(path); }
  Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length) override {
    return inner_->ReadRange(path, offset, length);
  }
  Result<std::unique_ptr<io::OutputStream>> OpenOutputStream(const std::string& path) override {
    return inner_->OpenOutputStream(path);
  }
  Status WriteFileAtomic(const std::string& path, std::string_view content) override {
    return inner_->WriteFileAtomic(path, content);
  }
  Status PutIfAbsent(const std::string& path, std::string_view content) override {
    return inner_->PutIfAbsent(path, content);
  }
  Status CreateDirectories(const std::string& path) override { return inner_->CreateDirectories(path); }
  Status Rename(const std::string& from, const std::string& to) override { return inner_->Rename(from, to); }
  Status DeleteFile(const std::string& path) override { return inner_->DeleteFile(path); }
  Status DeleteRecursive(const std::string& path) override { return inner_->DeleteRecursive(path); }
  Status DeleteEmptyDirectory(const std::string& path) override { return inner_->DeleteEmptyDirectory(path); }

 private:
  std::shared_ptr<io::FileSystem> inner_;
};

}  // namespace tributary::delta::testing
