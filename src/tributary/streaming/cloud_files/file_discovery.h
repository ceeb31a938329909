#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/io/file_system.h"
#include "tributary/streaming/cloud_files/glob_filter.h"

namespace tributary::cloud_files {

/// One data file found under the load path.
struct DiscoveredFile {
  std::string path;  // absolute
  int64_t size = 0;
  int64_t modification_time_ms = 0;
};

/// Which files a listing keeps.
struct DiscoveryFilter {
  std::optional<GlobFilter> name_glob;        // pathGlobFilter, on the file name only
  std::optional<int64_t> modified_after_ms;   // modifiedAfter (exclusive)
  std::optional<int64_t> modified_before_ms;  // modifiedBefore (exclusive)
};

/// Spark's hidden-path rule: a name starting with '.' or with '_' (unless it holds
/// '=' , a partition directory such as "_p=1"), or ending in "._COPYING_", is skipped
/// with everything below it, so writers can stage files there and rename them in.
bool IsHiddenName(std::string_view name);

/// Lists every visible file under `root`, recursively, that passes `filter`, ordered
/// by modification time then path. A missing root gives no files.
Result<std::vector<DiscoveredFile>> ListFiles(io::FileSystem& fs, const std::string& root,
                                              const DiscoveryFilter& filter);

/// Hive-style partition values of a file below `root`: "<root>/a=1/b=x/f.json" gives
/// {{"a","1"},{"b","x"}}. Values are %-unescaped; "__HIVE_DEFAULT_PARTITION__" gives
/// nullopt (NULL). Directories without '=' are skipped.
std::vector<std::pair<std::string, std::optional<std::string>>> PartitionValues(std::string_view root,
                                                                               std::string_view file_path);

}  // namespace tributary::cloud_files
