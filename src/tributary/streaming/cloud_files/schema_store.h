#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/io/file_system.h"

namespace tributary::cloud_files {

/// One version of the schema Auto Loader tracks under cloudFiles.schemaLocation.
struct SchemaVersion {
  int64_t version = 0;
  /// The data columns (hints applied, without the rescued data column).
  columnar::Schema data_schema;
  /// Hive-style partition columns taken from directory names.
  columnar::Schema partition_schema;
};

/// Versioned schemas in `<location>/_schemas/<version>`, Spark's metadata-log
/// convention: line 1 "v1", line 2 {"dataSchemaJson":"<struct JSON>",
/// "partitionSchemaJson":"<struct JSON>"}. The highest version is current. Versions
/// are written put-if-absent, so concurrent writers cannot overwrite each other.
class SchemaStore {
 public:
  SchemaStore(std::shared_ptr<io::FileSystem> fs, std::string location)
      : fs_(std::move(fs)), location_(std::move(location)) {}

  /// The latest version, or nullopt when none was written. An unreadable file is
  /// Corruption naming it.
  Result<std::optional<SchemaVersion>> LoadLatest() const;
  /// Writes `schema` as its version. AlreadyExists when that version exists.
  Status Write(const SchemaVersion& schema) const;
  /// "<location>/_schemas/<version>".
  std::string VersionPath(int64_t version) const;

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::string location_;
};

}  // namespace tributary::cloud_files
