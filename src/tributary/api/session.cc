#include "tributary/api/session.h"

#include <filesystem>
#include <system_error>

#include "tributary/api/data_frame_reader.h"
#include "tributary/api/data_stream_reader.h"

namespace tributary {
namespace {

std::string CurrentDirectory() {
  std::error_code error;
  std::filesystem::path current = std::filesystem::current_path(error);
  return error ? std::string() : current.string();
}

bool HasUriScheme(std::string_view path) {
  size_t colon = path.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = path[i];
    bool scheme_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '+' || c == '-' || c == '.';
    if (!scheme_char) return false;
  }
  return true;
}

std::string Resolve(std::string_view base, std::string_view path) {
  if (path.empty() || HasUriScheme(path)) return std::string(path);
  std::filesystem::path resolved(path);
  if (resolved.is_relative() && !base.empty()) resolved = std::filesystem::path(base) / resolved;
  return resolved.lexically_normal().string();
}

}  // namespace

Session::Builder& Session::Builder::warehouse(std::string path) {
  warehouse_ = std::move(path);
  return *this;
}

Session::Builder& Session::Builder::baseDirectory(std::string path) {
  base_directory_ = std::move(path);
  return *this;
}

Result<Session> Session::Builder::getOrCreate() const {
  Session session;
  std::string current = CurrentDirectory();
  if (current.empty()) return Status::IOError("cannot read the working directory");
  session.base_directory_ = base_directory_.empty() ? current : Resolve(current, base_directory_);
  session.warehouse(warehouse_);
  return session;
}

Session::Session() : base_directory_(CurrentDirectory()) { warehouse("./warehouse"); }

Session& Session::warehouse(std::string_view path) {
  warehouse_ = ResolvePath(path);
  return *this;
}

DataFrameReader Session::read() const { return DataFrameReader(*this); }

DataStreamReader Session::readStream() const { return DataStreamReader(*this); }

std::string Session::ResolvePath(std::string_view path) const { return Resolve(base_directory_, path); }

}  // namespace tributary
