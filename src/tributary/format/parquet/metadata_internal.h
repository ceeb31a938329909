#pragma once

// The subset of parquet.thrift that the writer produces, as plain structs, and their
// Thrift compact serialization. Field ids follow the Apache Parquet format spec.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
  kInt8 = 15,
  kInt16 = 16,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kRleDictionary = 8,
};

enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

/// LogicalType union member ids.
enum class LogicalKind : int16_t {
  kNone = 0,
  kString = 1,
  kMap = 2,
  kList = 3,
  kDecimal = 5,
  kDate = 6,
  kTimestamp = 8,
  kInteger = 10,
};

struct LogicalType {
  LogicalKind kind = LogicalKind::kNone;
  int32_t precision = 0;  // decimal
  int32_t scale = 0;      // decimal
  bool adjusted_to_utc = false;  // timestamp (unit is always micros)
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
};

struct Statistics {
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
  std::optional<int64_t> null_count;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  DataPageHeader data_page;              // when type is kDataPage
  DictionaryPageHeader dictionary_page;  // when type is kDictionaryPage
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

}  // namespace tributary::parquet::internal
