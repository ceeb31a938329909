#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/io/file_system.h"

namespace tributary::parquet {

/// Page compression codecs, all from the system libraries.
enum class Compression { kUncompressed, kSnappy, kGzip, kZstd };

/// Parses Spark's codec names: "snappy", "zstd", "gzip", "none"/"uncompressed",
/// ignoring case. Invalid names the value when it is none of those.
Result<Compression> CompressionFromString(std::string_view name);
/// The part-file name infix Spark uses: ".snappy", ".zstd", ".gz"; "" for none.
std::string_view CompressionFileSuffix(Compression compression);

/// How a file is laid out and encoded.
struct WriterOptions {
  Compression compression = Compression::kSnappy;
  /// A row group is closed once the memory it holds (encoded pages, the open page's
  /// values, dictionaries and their hash indexes) reaches about this size, as
  /// parquet-mr counts it; its encoded size in the file is then smaller (often 4-6
  /// times with dictionaries). This bounds the writer's memory per open file.
  int64_t row_group_size_bytes = 128 << 20;
  /// A data page is closed once its uncompressed values (PLAIN bytes, or packed
  /// dictionary indices) reach about this size; pages start at record boundaries.
  int64_t data_page_size_bytes = 1 << 20;
  /// Dictionary-encode byte arrays and numbers while the dictionary stays small.
  bool dictionary = true;
  /// Past this many dictionary bytes in a column chunk, later pages use PLAIN. A
  /// dictionary is also dropped when, after a page's worth of values, it does not
  /// make them smaller (parquet-mr's rule). Each row group starts a new dictionary.
  int64_t dictionary_page_size_limit = 1 << 20;
  int zstd_level = 3;
  int gzip_level = 6;
  std::string created_by = "tributary version 0.1.0";
  /// Written into FileMetaData.key_value_metadata, in this order.
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  /// Also write the two keys Spark writes: `org.apache.spark.version` (as
  /// kSparkCompatibleVersion) and `org.apache.spark.sql.parquet.row.metadata` (the
  /// schema as Spark's JSON). Without a version key Spark 3 applies its
  /// datetimeRebaseModeInRead default (EXCEPTION) and refuses dates before 1582 and
  /// timestamps before 1900; with a 3.x version it reads them as the proleptic
  /// Gregorian values they are. Keys already in key_value_metadata win.
  bool spark_metadata = true;
};

/// The Spark version recorded by WriterOptions::spark_metadata: any 3.1+ value means
/// "proleptic Gregorian dates and timestamps, no rebasing".
inline constexpr std::string_view kSparkCompatibleVersion = "3.5.0";

/// What was written for one leaf column, summed over row groups.
struct ColumnChunkSummary {
  std::string path;  // dotted, e.g. "a.list.element"
  int64_t num_values = 0;  // levels, nulls included
  int64_t null_count = 0;
  int64_t compressed_bytes = 0;
  int64_t uncompressed_bytes = 0;
  /// Data pages written with RLE_DICTIONARY and with PLAIN (after a fallback, or
  /// with dictionaries off).
  int64_t dictionary_data_pages = 0;
  int64_t plain_data_pages = 0;
  columnar::DataTypePtr type;  // the leaf's Spark type
  /// Smallest and largest non-null value over the file in Parquet PLAIN encoding
  /// (little-endian numbers, raw bytes for strings/binary, big-endian two's
  /// complement for FIXED_LEN_BYTE_ARRAY decimals, one byte for booleans); unset
  /// when every value is null, and for float/double columns holding a NaN. Never
  /// truncated.
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
};

/// Writes one Parquet file from record batches to an OutputStream, as Spark writes
/// them: data page V1, RLE levels, PLAIN or dictionary (PLAIN dictionary page +
/// RLE_DICTIONARY) values, chunk statistics with TypeDefinedOrder. Types map as
/// Spark's: byte/short to INT32 with INT(8/16), decimal to INT32/INT64/
/// FIXED_LEN_BYTE_ARRAY by precision, string to UTF8 BYTE_ARRAY, date to DATE,
/// timestamp/timestamp_ntz to INT64 TIMESTAMP(MICROS, UTC-adjusted or not), arrays
/// to 3-level LIST, maps to MAP key_value groups; nullable fields are optional.
/// Not thread-safe; the sink must outlive the writer. A row group is buffered in
/// memory (compressed pages) until it closes; buffered_bytes() says how much.
class FileWriter {
 public:
  /// Validates the schema and writes the magic. Errors: Invalid for an empty schema,
  /// a null sink or non-positive sizes; NotImplemented for an empty struct (Parquet
  /// has no empty groups); the sink's error.
  static Result<std::unique_ptr<FileWriter>> Make(const columnar::Schema& schema,
                                                  io::OutputStream* sink,
                                                  WriterOptions options);
  ~FileWriter();

  /// Appends the rows of `batch`, whose schema must equal the writer's. May write
  /// row groups to the sink. Invalid for another schema or for a null where the
  /// schema says required (non-nullable column or field, non-null array element,
  /// map key), naming the column.
  Status WriteBatch(const columnar::RecordBatch& batch);

  /// Rows accepted so far.
  int64_t num_rows() const;
  /// Bytes written to the sink plus the estimated size of what is buffered; used to
  /// roll to a new file at a target size.
  int64_t EstimatedFileSize() const;
  /// Bytes allocated for the open row group (see row_group_size_bytes): at most
  /// about row_group_size_bytes plus one slice of rows after any WriteBatch.
  int64_t buffered_bytes() const;
  /// Per leaf column totals; complete after Close().
  std::vector<ColumnChunkSummary> ColumnSummaries() const;

  /// Flushes the last row group and writes the footer. Does not close the sink.
  /// Calling it twice is an error (Invalid).
  Status Close();

  class Impl;

 private:
  explicit FileWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tributary::parquet
