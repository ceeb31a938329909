#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/io/file_system.h"

namespace tributary::parquet {

/// How a file is read.
struct ReaderOptions {
  /// Batches handed to the callback hold at most this many rows.
  int64_t max_batch_rows = 65536;
  /// Match top-level and nested field names ignoring case (Spark's default).
  bool case_sensitive = false;
};

/// Statistics of one column chunk, decoded to the column's Spark type as a
/// one-row column each (unset when the file has none).
struct ColumnChunkStatistics {
  std::optional<int64_t> null_count;
  /// One-row columns of the column's Spark type; null pointers when absent.
  columnar::ColumnPtr min_value;
  columnar::ColumnPtr max_value;
};

/// A field of a file's schema with its Parquet field_id, shaped as FileReader::schema():
/// children are a struct's fields, an array's element, or a map's key and value.
struct FileField {
  std::string name;
  std::optional<int32_t> field_id;
  std::vector<FileField> children;
};

/// Reads one Parquet file written by any conforming writer (parquet-mr/Spark,
/// Arrow, delta-rs, Tributary): PLAIN, dictionary, RLE, DELTA_* and
/// BYTE_STREAM_SPLIT encodings, data pages V1 and V2, uncompressed, snappy, gzip,
/// zstd and lz4_raw codecs, nested data through Dremel levels.
/// Not thread-safe; open one reader per thread. The file system must outlive it.
class FileReader {
 public:
  /// Reads the footer of the Parquet file at `path` through `fs` (ReadRange of the
  /// tail). Errors name the path: Corruption for a truncated or non-Parquet file or
  /// an undecodable footer, NotImplemented for a schema Spark cannot read, the file
  /// system's error otherwise.
  static Result<std::unique_ptr<FileReader>> Open(std::shared_ptr<io::FileSystem> fs,
                                                  const std::string& path, ReaderOptions options = {});
  ~FileReader();

  /// The file's schema in Spark types, as Spark reads it: INT96 and
  /// TIMESTAMP(isAdjustedToUTC=true, MILLIS/MICROS/NANOS) -> timestamp (micros);
  /// TIMESTAMP(false) -> timestamp_ntz; DATE -> date; DECIMAL on INT32/INT64/
  /// FIXED_LEN_BYTE_ARRAY/BYTE_ARRAY -> decimal(p,s); INT(8/16, signed) ->
  /// byte/short; UINT8/16 -> short/integer, UINT32 -> long, UINT64 ->
  /// decimal(20,0); STRING/UTF8/ENUM/JSON -> string; other BYTE_ARRAY -> binary;
  /// 3-level and legacy 2-level LIST -> array; MAP/MAP_KEY_VALUE -> map; groups ->
  /// struct; REQUIRED -> non-nullable.
  const columnar::Schema& schema() const;
  /// The top-level fields of schema() with their field ids (Delta's column mapping id
  /// mode resolves columns by them).
  std::vector<FileField> fields() const;
  int64_t num_rows() const;
  int num_row_groups() const;
  int64_t row_group_num_rows(int row_group) const;
  const std::vector<std::pair<std::string, std::string>>& key_value_metadata() const;
  const std::string& path() const;

  /// Reads the rows of the given row groups (all when empty), in order, shaped as
  /// `read_schema`: fields are matched by name at every nesting level (per
  /// options.case_sensitive); a field of read_schema absent from the file reads as
  /// nulls (Invalid if that field is non-nullable); file columns not asked for are
  /// not read or decompressed; numeric widening (byte/short/int->long,
  /// float->double, byte/short/int->double) and decimal widening (scale and integer
  /// digits may grow) are applied; string and binary read as each other and
  /// timestamp_ntz as timestamp, as Spark allows; any other type mismatch is Invalid
  /// naming the column and the file. Without case sensitivity the first file field
  /// matching a name wins.
  /// Calls on_batch with batches of at most max_batch_rows rows and stops at the
  /// first error it returns. Memory: one row group's needed column chunks at a time.
  Status Read(const columnar::Schema& read_schema,
              const std::function<Status(columnar::RecordBatchPtr)>& on_batch,
              const std::vector<int>& row_groups = {});

  /// Reads every column of the file (schema()).
  Status ReadAll(const std::function<Status(columnar::RecordBatchPtr)>& on_batch);

  /// Column-chunk statistics of the top-level primitive column `column` (a name of
  /// schema(), matched per options.case_sensitive), one entry per row group.
  /// Invalid for an unknown or nested column.
  Result<std::vector<ColumnChunkStatistics>> ColumnStatistics(const std::string& column) const;

  class Impl;

 private:
  explicit FileReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tributary::parquet
