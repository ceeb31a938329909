#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/format/file_decoder.h"
#include "tributary/streaming/query_plan.h"

namespace tributary::cloud_files {

/// cloudFiles.schemaEvolutionMode.
enum class SchemaEvolutionMode {
  /// New columns are added to the schema (persisted), then the stream stops with
  /// SchemaChanged; a restart continues with the new schema. Default when inferring.
  kAddNewColumns,
  /// The schema never changes; unknown fields go to the rescued data column.
  kRescue,
  /// The stream fails on a new column until the schema or the file is fixed.
  kFailOnNewColumns,
  /// New columns are ignored (rescued only when rescuedDataColumn is set). Default
  /// with a user schema.
  kNone,
};

/// "addNewColumns", "rescue", "failOnNewColumns", "none".
std::string_view SchemaEvolutionModeName(SchemaEvolutionMode mode);

/// Everything the cloudFiles source takes from `readStream.options(...)`, checked.
struct CloudFilesOptions {
  std::string path;    // load(path), absolute
  std::string format;  // cloudFiles.format, lower case: "json" or "csv"
  std::optional<std::string> schema_location;  // cloudFiles.schemaLocation
  std::optional<columnar::Schema> user_schema;
  std::optional<std::string> schema_hints;     // cloudFiles.schemaHints
  SchemaEvolutionMode evolution_mode = SchemaEvolutionMode::kAddNewColumns;
  int64_t max_files_per_trigger = 1000;               // cloudFiles.maxFilesPerTrigger
  std::optional<int64_t> max_bytes_per_trigger;       // cloudFiles.maxBytesPerTrigger
  bool include_existing_files = true;                 // cloudFiles.includeExistingFiles
  /// cloudFiles.partitionColumns: nullopt = infer from Hive-style directories;
  /// empty = none.
  std::optional<std::vector<std::string>> partition_columns;
  int64_t sample_num_files = 1000;                      // ...schemaInference.sampleSize.numFiles
  int64_t sample_num_bytes = int64_t{50} << 30;         // ...schemaInference.sampleSize.numBytes
  std::optional<std::string> path_glob_filter;          // pathGlobFilter / fileNamePattern
  bool recursive_file_lookup = false;                   // recursiveFileLookup
  std::optional<int64_t> modified_after_ms;             // modifiedAfter
  std::optional<int64_t> modified_before_ms;            // modifiedBefore
  bool ignore_corrupt_files = false;                    // ignoreCorruptFiles
  bool ignore_missing_files = false;                    // ignoreMissingFiles
  /// Shared decode settings: mode, columnNameOfCorruptRecord, rescuedDataColumn
  /// (defaults to "_rescued_data" when the schema is inferred), readerCaseSensitive,
  /// cloudFiles.inferColumnTypes.
  format::DecodeOptions decode;
  /// The options of the format itself (header, sep, multiLine, ...), as given.
  OptionMap format_options;
};

/// Every option name the cloudFiles source knows, besides the format's own.
const OptionNames& CloudFilesOptionNames();

/// Checks and parses the source options. Unknown names (with validateOptions true)
/// and bad values are Invalid naming the option; options that Tributary does not
/// support yet (notifications, badRecordsPath, allowOverwrites=true, formats other
/// than json and csv) are NotImplemented naming the option and value.
Result<CloudFilesOptions> ParseCloudFilesOptions(const streaming::SourceSpec& spec);

}  // namespace tributary::cloud_files
