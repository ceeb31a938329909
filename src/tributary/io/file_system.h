#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"

namespace tributary::io {

/// What a listing or stat reports about one entry.
struct FileInfo {
  std::string path;  // as given, joined with the entry name
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  bool is_directory = false;
};

/// A byte sink, written sequentially. Close() makes the bytes durable; a stream
/// destroyed without Close() leaves a partial file behind (data files are uniquely
/// named and only referenced once a commit names them, so that is harmless).
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status Write(const void* data, size_t length) = 0;
  Status Write(std::string_view bytes) { return Write(bytes.data(), bytes.size()); }
  /// Bytes written so far.
  virtual int64_t Tell() const = 0;
  virtual Status Close() = 0;
};

/// Storage, as the engine needs it. Paths are plain strings ("/data/x", "./t");
/// object stores will implement the same interface later. Thread-safe.
/// Every error names the path.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  /// False when nothing is at `path`; an error only when the check itself failed.
  virtual Result<bool> Exists(const std::string& path) = 0;
  /// The entries directly inside the directory `path`, in name order.
  virtual Result<std::vector<FileInfo>> ListDirectory(const std::string& path) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  virtual Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length) = 0;
  /// Creates (or truncates) `path`, creating parent directories.
  virtual Result<std::unique_ptr<OutputStream>> OpenOutputStream(const std::string& path) = 0;
  /// Replaces `path` with `content` atomically: readers see the old or the new file,
  /// never a part (temporary file, fsync, rename).
  virtual Status WriteFileAtomic(const std::string& path, std::string_view content) = 0;
  /// Creates `path` with `content` only if nothing is there, atomically; returns
  /// AlreadyExists when another writer got there first (temporary file + link()).
  virtual Status PutIfAbsent(const std::string& path, std::string_view content) = 0;
  virtual Status CreateDirectories(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  /// Deletes a file; OK when it does not exist.
  virtual Status DeleteFile(const std::string& path) = 0;
  /// Deletes a directory tree; OK when it does not exist.
  virtual Status DeleteRecursive(const std::string& path) = 0;
  /// Deletes the directory `path` only if it is empty (VACUUM's empty directories):
  /// AlreadyExists when it holds entries; OK when it does not exist.
  virtual Status DeleteEmptyDirectory(const std::string& path) {
    return Status::NotImplemented("deleting the empty directory '{}' is not supported by this file system", path);
  }
};

/// The local disk.
std::shared_ptr<FileSystem> LocalFileSystem();

/// "a/b" + "c" -> "a/b/c" (no doubled slash).
std::string JoinPath(std::string_view base, std::string_view name);
/// Turns a relative path into an absolute, lexically normal one (no file-system access
/// beyond the current directory).
std::string AbsolutePath(std::string_view path);

}  // namespace tributary::io
