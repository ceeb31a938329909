#include "tributary/streaming/cloud_files/file_discovery.h"

#include <algorithm>

#include "tributary/base/log.h"

namespace tributary::cloud_files {

namespace {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

Status ListInto(io::FileSystem& fs, const std::string& dir, const DiscoveryFilter& filter,
                std::vector<DiscoveredFile>* out) {
  auto entries = fs.ListDirectory(dir);
  if (!entries.ok()) {
    // A directory removed while listing holds nothing any more.
    if (entries.status().IsNotFound()) return Status::OK();
    return entries.status();
  }
  for (io::FileInfo& entry : *entries) {
    std::string_view name = BaseName(entry.path);
    if (IsHiddenName(name)) continue;
    if (entry.is_directory) {
      TRIB_RETURN_NOT_OK(ListInto(fs, entry.path, filter, out));
      continue;
    }
    if (filter.name_glob && !filter.name_glob->Matches(name)) continue;
    if (filter.modified_after_ms && entry.modification_time_ms <= *filter.modified_after_ms) continue;
    if (filter.modified_before_ms && entry.modification_time_ms >= *filter.modified_before_ms) continue;
    out->push_back(DiscoveredFile{std::move(entry.path), entry.size, entry.modification_time_ms});
  }
  return Status::OK();
}

}  // namespace

bool IsHiddenName(std::string_view name) {
  if (name.empty()) return false;
  if (name[0] == '.') return true;
  if (name[0] == '_' && name.find('=') == std::string_view::npos) return true;
  constexpr std::string_view kCopying = "._COPYING_";
  return name.size() >= kCopying.size() && name.substr(name.size() - kCopying.size()) == kCopying;
}

Result<std::vector<DiscoveredFile>> ListFiles(io::FileSystem& fs, const std::string& root,
                                              const DiscoveryFilter& filter) {
  std::vector<DiscoveredFile> files;
  TRIB_ASSIGN_OR_RETURN(bool exists, fs.Exists(root));
  if (!exists) {
    log::Warn("cloudFiles load path '{}' does not exist (yet); no files found", root);
    return files;
  }
  TRIB_ASSIGN_OR_RETURN(io::FileInfo info, fs.Stat(root));
  if (!info.is_directory) {
    bool keep = !filter.name_glob || filter.name_glob->Matches(BaseName(root));
    if (keep) files.push_back(DiscoveredFile{root, info.size, info.modification_time_ms});
    return files;
  }
  TRIB_RETURN_NOT_OK(ListInto(fs, root, filter, &files));
  std::sort(files.begin(), files.end(), [](const DiscoveredFile& a, const DiscoveredFile& b) {
    if (a.modification_time_ms != b.modification_time_ms) return a.modification_time_ms < b.modification_time_ms;
    return a.path < b.path;
  });
  return files;
}

std::vector<std::pair<std::string, std::optional<std::string>>> PartitionValues(std::string_view root,
                                                                               std::string_view file_path) {
  std::vector<std::pair<std::string, std::optional<std::string>>> values;
  if (file_path.size() <= root.size() || file_path.substr(0, root.size()) != root) return values;
  std::string_view relative = file_path.substr(root.size());
  size_t last_slash = relative.rfind('/');
  if (last_slash == std::string_view::npos) return values;
  relative = relative.substr(0, last_slash);
  while (!relative.empty()) {
    size_t slash = relative.find('/');
    std::string_view segment = relative.substr(0, slash);
    size_t equals = segment.find('=');
    if (equals != std::string_view::npos && equals > 0) {
      std::string value = Unescape(segment.substr(equals + 1));
      std::optional<std::string> maybe;
      if (value != "__HIVE_DEFAULT_PARTITION__") maybe = std::move(value);
      values.emplace_back(Unescape(segment.substr(0, equals)), std::move(maybe));
    }
    if (slash == std::string_view::npos) break;
    relative.remove_prefix(slash + 1);
  }
  return values;
}

}  // namespace tributary::cloud_files
