#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// DESCRIBE DETAIL of one snapshot (Delta's column names in the comments), plus the
/// schema.
struct TableDetail {
  std::string format = "delta";                     // format
  std::string id;                                   // id
  std::optional<std::string> name;                  // name: catalog.schema.table, unset for a path
  std::optional<std::string> description;           // description
  std::string location;                             // location: the absolute table path
  std::optional<int64_t> created_at_ms;             // createdAt (metaData.createdTime)
  int64_t last_modified_ms = 0;                     // lastModified: the version's commit timestamp
  std::vector<std::string> partition_columns;       // partitionColumns
  int64_t num_files = 0;                            // numFiles
  int64_t size_in_bytes = 0;                        // sizeInBytes
  std::map<std::string, std::string> properties;    // properties
  int min_reader_version = 1;                       // minReaderVersion
  int min_writer_version = 2;                       // minWriterVersion
  std::vector<std::string> table_features;          // tableFeatures
  int64_t version = 0;
  columnar::Schema schema;
  /// metaData.schemaString: the schema as Delta's JSON.
  std::string schema_string;
};

/// The table features a protocol supports, sorted, as DESCRIBE DETAIL lists them: the
/// reader and writer features named by a table-features protocol, and for legacy
/// protocol versions the features those versions imply (writer 2: appendOnly,
/// invariants; 3: checkConstraints; 4: changeDataFeed, generatedColumns; 5:
/// columnMapping; 6: identityColumns).
std::vector<std::string> SupportedTableFeatures(const Protocol& protocol);

/// DESCRIBE DETAIL of `snapshot` of the table at `table_path`.
/// Errors: those of reading the version's commit timestamp (see ReadCommitTimestamps).
Result<TableDetail> DescribeDetail(io::FileSystem& fs, const std::string& table_path, const Snapshot& snapshot);

}  // namespace tributary::delta
