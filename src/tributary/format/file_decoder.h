#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"

namespace tributary::format {

/// Spark's `mode` option: what a reader does with a malformed record.
enum class ParseMode {
  /// Keep the row: fields that parsed, NULL elsewhere, the raw record in the
  /// `columnNameOfCorruptRecord` column when the schema has it. (default)
  kPermissive,
  /// Drop the malformed record and count it.
  kDropMalformed,
  /// Stop with an error naming the file and line.
  kFailFast,
};

/// Parses "PERMISSIVE", "DROPMALFORMED", "FAILFAST" (case-insensitive).
Result<ParseMode> ParseModeFromString(std::string_view text);

/// Options every decoder shares; the format-specific ones live with each format.
struct DecodeOptions {
  /// `mode`.
  ParseMode mode = ParseMode::kPermissive;
  /// `columnNameOfCorruptRecord`: filled in PERMISSIVE mode when the schema has a
  /// string column of this name.
  std::string column_name_of_corrupt_record = "_corrupt_record";
  /// `rescuedDataColumn`: when set and present in the schema, values that do not fit
  /// (unknown fields, type mismatches, case mismatches) are kept there as a JSON
  /// object, with the source file under the key "_file_path". A record with nothing
  /// rescued gets NULL.
  std::optional<std::string> rescued_data_column;
  /// `readerCaseSensitive`: when false, fields match columns ignoring case.
  bool case_sensitive = true;
  /// `cloudFiles.inferColumnTypes`: when false, inference makes every leaf a string.
  bool infer_column_types = false;
  /// A batch is emitted when it reaches this many rows...
  int64_t max_batch_rows = 65536;
  /// ...or about this many bytes of column data.
  int64_t max_batch_bytes = 64 << 20;
};

/// What one decode saw besides the rows it produced.
struct DecodeCounters {
  int64_t records = 0;            // rows emitted
  int64_t malformed = 0;          // malformed records (kept, dropped, or fatal)
  int64_t dropped = 0;            // rows dropped under DROPMALFORMED
  int64_t rescued = 0;            // rows with a non-null rescued data value
  /// Top-level field names present in the data but not in the schema (what
  /// schema evolution needs to know), whatever the rescue setting.
  std::set<std::string> unknown_fields;
  /// Top-level columns of the schema whose values held struct members the schema
  /// does not have (a new nested field), for nested schema evolution.
  std::set<std::string, std::less<>> fields_with_unknown_members;
};

using BatchCallback = std::function<Status(columnar::RecordBatchPtr)>;

/// A file format's decoder: infers a schema from one file's content and decodes
/// content into batches of a given schema. The content is the whole (decompressed)
/// file. Implementations are stateless between calls and thread-compatible.
class FileDecoder {
 public:
  virtual ~FileDecoder() = default;

  /// The schema of the data in one file, before hints and before any rescued or
  /// corrupt-record column are added. Fields follow the format's rule for order.
  /// Errors name `path` (and the line, for text formats).
  virtual Result<columnar::Schema> InferSchema(std::string_view content, const std::string& path) = 0;

  /// Decodes `content` into batches of `schema` (which may include the rescued data
  /// and corrupt record columns named in the options), calling `on_batch` for each.
  /// Malformed records are handled as `mode` says; FAILFAST errors name the file and
  /// line. An error from `on_batch` stops decoding and is returned.
  virtual Status Decode(std::string_view content, const std::string& path, const columnar::Schema& schema,
                        const BatchCallback& on_batch, DecodeCounters* counters) = 0;
};

}  // namespace tributary::format
