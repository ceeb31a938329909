#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "forwarding_file_system.h"

namespace tributary::delta::testing {

/// The local disk, with a hook run once just before the first commit-file
/// put-if-absent: another writer commits in the window between an operation's read
/// (OPTIMIZE, MERGE) and its commit.
class RacingFileSystem : public ForwardingFileSystem {
 public:
  explicit RacingFileSystem(std::function<void()> hook) : hook_(std::move(hook)) {}

  Status PutIfAbsent(const std::string& path, std::string_view content) override {
    if (hook_ && path.ends_with(".json")) {
      auto hook = std::move(hook_);
      hook_ = nullptr;
      hook();
    }
    return ForwardingFileSystem::PutIfAbsent(path, content);
  }

 private:
  std::function<void()> hook_;
};

}  // namespace tributary::delta::testing
