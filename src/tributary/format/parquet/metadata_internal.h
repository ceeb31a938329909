#pragma once

// The subset of parquet.thrift that the writer produces and the reader needs, as
// plain structs, with their Thrift compact serialization and parsing. Field ids
// follow the Apache Parquet format spec.

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "tributary/base/result.h"

namespace tributary::parquet::internal {

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kDecimal = 5,
  kDate = 6,
  kTimestampMicros = 10,
  kEnum = 4,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

/// LogicalType union member ids.
enum class LogicalKind : int16_t {
  kNone = 0,
  kString = 1,
  kMap = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTime = 7,
  kTimestamp = 8,
  kInteger = 10,
  kUnknown = 11,
  kJson = 12,
  kBson = 13,
  kUuid = 14,
  kFloat16 = 15,
  kOther = 99,  // any member this code does not know
};

/// TimeUnit union member ids minus one.
enum class TimeUnit : int8_t { kMillis = 0, kMicros = 1, kNanos = 2 };

struct LogicalType {
  LogicalKind kind = LogicalKind::kNone;
  int32_t precision = 0;  // decimal
  int32_t scale = 0;      // decimal
  bool adjusted_to_utc = false;  // timestamp; the writer always writes micros
  TimeUnit unit = TimeUnit::kMicros;  // timestamp, time
  int8_t bit_width = 0;   // integer
  bool is_signed = true;  // integer
};

struct SchemaElement {
  std::string name;
  std::optional<PhysicalType> type;  // unset for groups
  int32_t type_length = 0;           // FIXED_LEN_BYTE_ARRAY only
  std::optional<Repetition> repetition;  // unset for the root
  int32_t num_children = -1;         // groups only
  std::optional<ConvertedType> converted_type;
  int32_t scale = -1;                // decimals only
  int32_t precision = -1;
  LogicalType logical_type;
  std::optional<int32_t> field_id;
};

struct Statistics {
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
  std::optional<int64_t> null_count;
  /// The deprecated min/max fields (1 and 2), read only; their order is signed
  /// byte-wise for byte arrays, so they are trusted for numbers only.
  std::optional<std::string> legacy_min;
  std::optional<std::string> legacy_max;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;  // read only
  Encoding repetition_level_encoding = Encoding::kRle;  // read only
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;  // read only
};

/// Read only: levels are stored uncompressed before the (maybe compressed) values.
struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  DataPageHeader data_page;              // when type is kDataPage
  DictionaryPageHeader dictionary_page;  // when type is kDictionaryPage
  DataPageHeaderV2 data_page_v2;         // when type is kDataPageV2 (read only)
};

struct PageEncodingStats {
  PageType page_type;
  Encoding encoding;
  int32_t count;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt32;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  int32_t codec = 0;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  Statistics statistics;
  std::vector<PageEncodingStats> encoding_stats;
};

struct ColumnChunk {
  std::string file_path;  // read only; set when the chunk lives in another file
  int64_t file_offset = 0;
  ColumnMetaData meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  int64_t file_offset = 0;
  int64_t total_compressed_size = 0;
  int16_t ordinal = 0;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  std::string created_by;
  int num_leaf_columns = 0;  // one TypeDefinedOrder per leaf
};

/// Appends the Thrift compact encoding of a page header to `out`.
void SerializePageHeader(const PageHeader& header, std::string* out);
/// Appends the Thrift compact encoding of the file footer metadata to `out`.
void SerializeFileMetaData(const FileMetaData& metadata, std::string* out);

/// Parses a page header from the start of `bytes`; `*header_size` receives its
/// encoded length. Corruption when it is malformed or truncated.
Status ParsePageHeader(std::string_view bytes, PageHeader* header, size_t* header_size);
/// Parses the footer metadata (the bytes between the data and the length + magic).
/// Corruption when it is malformed or truncated.
Status ParseFileMetaData(std::string_view bytes, FileMetaData* metadata);

}  // namespace tributary::parquet::internal
