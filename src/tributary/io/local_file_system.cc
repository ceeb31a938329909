#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "tributary/io/file_system.h"

namespace tributary::io {
namespace {

Status ErrnoStatus(std::string_view action, const std::string& path, int error) {
  if (error == ENOENT) return Status::NotFound("{} '{}': {}", action, path, std::strerror(error));
  if (error == EEXIST) return Status::AlreadyExists("{} '{}': {}", action, path, std::strerror(error));
  return Status::IOError("{} '{}': {}", action, path, std::strerror(error));
}

std::string ParentOf(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

std::string TempNameFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t seed = std::random_device{}();
  auto name = std::filesystem::path(path).filename().string();
  return JoinPath(ParentOf(path).empty() ? "." : ParentOf(path),
                  "." + name + "." + std::to_string(seed ^ static_cast<uint64_t>(getpid())) + "." +
                      std::to_string(counter.fetch_add(1)) + ".tmp");
}

Status WriteAll(int fd, const void* data, size_t length, const std::string& path) {
  const char* bytes = static_cast<const char*>(data);
  while (length > 0) {
    ssize_t written = ::write(fd, bytes, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path, errno);
    }
    bytes += written;
    length -= static_cast<size_t>(written);
  }
  return Status::OK();
}

Status SyncDirectory(const std::string& path) {
  std::string dir = ParentOf(path);
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Status::OK();  // best effort
  ::fsync(fd);
  ::close(fd);
  return Status::OK();
}

// Writes `content` to a fresh temporary file beside `path` and fsyncs it.
Result<std::string> WriteTemporary(const std::string& path, std::string_view content) {
  std::string temp = TempNameFor(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    std::filesystem::create_directories(ParentOf(path), ec);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0) return ErrnoStatus("cannot create", temp, errno);
  Status status = WriteAll(fd, content.data(), content.size(), temp);
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoStatus("cannot sync", temp, errno);
  ::close(fd);
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  return temp;
}

class LocalOutputStream : public OutputStream {
 public:
  LocalOutputStream(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~LocalOutputStream() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Write(const void* data, size_t length) override {
    if (fd_ < 0) return Status::Internal("write to closed file '{}'", path_);
    TRIB_RETURN_NOT_OK(WriteAll(fd_, data, length, path_));
    position_ += static_cast<int64_t>(length);
    return Status::OK();
  }
  int64_t Tell() const override { return position_; }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status status;
    if (::fsync(fd_) != 0) status = ErrnoStatus("cannot sync", path_, errno);
    if (::close(fd_) != 0 && status.ok()) status = ErrnoStatus("cannot close", path_, errno);
    fd_ = -1;
    return status;
  }

 private:
  int fd_;
  std::string path_;
  int64_t position_ = 0;
};

class LocalFileSystemImpl : public FileSystem {
 public:
  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat", path, errno);
    FileInfo info;
    info.path = path;
    info.size = static_cast<int64_t>(st.st_size);
    info.modification_time_ms =
        static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + static_cast<int64_t>(st.st_mtim.tv_nsec) / 1000000;
    info.is_directory = S_ISDIR(st.st_mode);
    return info;
  }

  Result<bool> Exists(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return ErrnoStatus("cannot stat", path, errno);
  }

  Result<std::vector<FileInfo>> ListDirectory(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return ErrnoStatus("cannot list", path, errno);
    std::vector<std::string> names;
    while (struct dirent* entry = ::readdir(dir)) {
      std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      names.emplace_back(name);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    std::vector<FileInfo> entries;
    entries.reserve(names.size());
    for (const std::string& name : names) {
      auto info = Stat(JoinPath(path, name));
      if (!info.ok()) {
        if (info.status().IsNotFound()) continue;  // removed while listing
        return info.status();
      }
      entries.push_back(std::move(*info));
    }
    return entries;
  }

  Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open", path, errno);
    std::string content;
    struct stat st;
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Status::Invalid("'{}' is a directory, not a file", path);
    }
    if (st.st_size > 0) content.reserve(static_cast<size_t>(st.st_size));
    char buffer[1 << 16];
    while (true) {
      ssize_t n = ::read(fd, buffer, sizeof(buffer));
      if (n < 0) {
        if (errno == EINTR) continue;
        int error = errno;
        ::close(fd);
        return ErrnoStatus("cannot read", path, error);
      }
      if (n == 0) break;
      content.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    return content;
  }

  Result<std::string> ReadRange(const std::string& path, int64_t offset, int64_t length) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open", path, errno);
    std::string content(static_cast<size_t>(length), '\0');
    int64_t done = 0;
    while (done < length) {
      ssize_t n = ::pread(fd, content.data() + done, static_cast<size_t>(length - done), offset + done);
      if (n < 0) {
        if (errno == EINTR) continue;
        int error = errno;
        ::close(fd);
        return ErrnoStatus("cannot read", path, error);
      }
      if (n == 0) break;
      done += n;
    }
    ::close(fd);
    content.resize(static_cast<size_t>(done));
    return content;
  }

  Result<std::unique_ptr<OutputStream>> OpenOutputStream(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {
      TRIB_RETURN_NOT_OK(CreateDirectories(ParentOf(path)));
      fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) return ErrnoStatus("cannot create", path, errno);
    return std::unique_ptr<OutputStream>(new LocalOutputStream(fd, path));
  }

  Status WriteFileAtomic(const std::string& path, std::string_view content) override {
    TRIB_ASSIGN_OR_RETURN(std::string temp, WriteTemporary(path, content));
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      int error = errno;
      ::unlink(temp.c_str());
      return ErrnoStatus("cannot rename into", path, error);
    }
    return SyncDirectory(path);
  }

  Status PutIfAbsent(const std::string& path, std::string_view content) override {
    TRIB_ASSIGN_OR_RETURN(std::string temp, WriteTemporary(path, content));
    int result = ::link(temp.c_str(), path.c_str());
    int error = errno;
    ::unlink(temp.c_str());
    if (result != 0) {
      if (error == EEXIST) return Status::AlreadyExists("'{}' already exists", path);
      return ErrnoStatus("cannot link into", path, error);
    }
    return SyncDirectory(path);
  }

  Status CreateDirectories(const std::string& path) override {
    if (path.empty()) return Status::OK();
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IOError("cannot create directory '{}': {}", path, ec.message());
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("cannot rename to '" + to + "'", from, errno);
    return Status::OK();
  }

  Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("cannot delete", path, errno);
    return Status::OK();
  }

  Status DeleteRecursive(const std::string& path) override {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) return Status::IOError("cannot delete '{}': {}", path, ec.message());
    return Status::OK();
  }

  Status DeleteEmptyDirectory(const std::string& path) override {
    if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return Status::OK();
    if (errno == ENOTEMPTY || errno == EEXIST) return Status::AlreadyExists("directory '{}' is not empty", path);
    return ErrnoStatus("cannot delete directory", path, errno);
  }
};

}  // namespace

std::shared_ptr<FileSystem> LocalFileSystem() {
  static const std::shared_ptr<FileSystem> kInstance = std::make_shared<LocalFileSystemImpl>();
  return kInstance;
}

std::string JoinPath(std::string_view base, std::string_view name) {
  if (base.empty()) return std::string(name);
  std::string out(base);
  if (out.back() != '/') out += '/';
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  out += name;
  return out;
}

std::string AbsolutePath(std::string_view path) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::current_path() / p;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace tributary::io
