#include "tributary/format/csv/decoder.h"

#include <algorithm>
#include <strings.h>

#include "tributary/columnar/column_builder.h"
#include "tributary/format/csv/charset.h"
#include "tributary/format/csv/header_names.h"
#include "tributary/format/csv/read_options.h"
#include "tributary/format/csv/rescued_data.h"
#include "tributary/format/csv/tokenizer.h"
#include "tributary/format/csv/type_inference.h"
#include "tributary/format/csv/value_conversion.h"

namespace tributary::csv {

using columnar::ColumnBuilder;
using columnar::ColumnPtr;
using columnar::DataType;
using columnar::Field;
using columnar::Schema;
using columnar::TypeId;
using format::DecodeCounters;
using format::ParseMode;

namespace {

// A token as Spark's converters see it: an unquoted empty value is NULL, a quoted
// empty value reads as `emptyValue`, and a value equal to `nullValue` is NULL.
struct Token {
  std::string_view text;
  bool is_null = false;
};

Token ResolveToken(const CsvField& field, const CsvReadOptions& options) {
  if (field.skipped) return Token{{}, true};
  std::string_view text = field.quoted && field.text.empty() ? std::string_view(options.empty_value) : field.text;
  return Token{text, (!field.quoted && field.text.empty()) || text == options.null_value};
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Where a file column goes.
constexpr int kUnknownColumn = -1;   // not in the schema: rescued, listed as unknown
constexpr int kCaseMismatch = -2;    // in the schema under another case: rescued only

// Why a kept-or-dropped record is malformed, rendered only when needed.
struct Malformation {
  enum Kind : unsigned char { kNone, kColumnCount, kConversion };
  Kind kind = kNone;
  size_t column = 0;
};

class CsvDecoder final : public format::FileDecoder {
 public:
  CsvDecoder(CsvReadOptions options, format::DecodeOptions common)
      : options_(std::move(options)), common_(std::move(common)) {}

  Result<Schema> InferSchema(std::string_view content, const std::string& path) override;
  Status Decode(std::string_view content, const std::string& path, const Schema& schema,
                const format::BatchCallback& on_batch, DecodeCounters* counters) override;

 private:
  // Schema index for a header name, or kUnknownColumn / kCaseMismatch.
  int ResolveColumn(const std::string& name, const Schema& schema, const std::vector<int>& data_columns) const;
  std::string Describe(const Malformation& malformation, const CsvRecord& record, const Schema& schema,
                       const std::vector<int>& target, const std::vector<std::string>& names,
                       bool header) const;

  CsvReadOptions options_;
  format::DecodeOptions common_;
};

Result<Schema> CsvDecoder::InferSchema(std::string_view content, const std::string& path) {
  std::string storage;
  std::string_view text = ToUtf8(content, options_.charset, &storage);
  CsvTokenizer tokenizer(text, options_);
  CsvRecord record;
  if (!tokenizer.Next(&record)) return Schema();
  std::vector<std::string> names =
      options_.header ? SafeHeaderNames(record, options_) : PositionalNames(record.fields.size());
  std::vector<InferredType> types(names.size());
  if (common_.infer_column_types) {
    auto infer = [&](const CsvRecord& row) {
      size_t count = std::min(row.fields.size(), types.size());
      for (size_t i = 0; i < count; ++i) {
        Token token = ResolveToken(row.fields[i], options_);
        if (!token.is_null) types[i] = InferField(types[i], token.text, options_);
      }
    };
    if (!options_.header) infer(record);
    while (tokenizer.Next(&record)) infer(record);
  }
  std::vector<Field> fields;
  fields.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    fields.push_back(Field{names[i], ToDataType(types[i]), true, "{}"});
  }
  return Schema(std::move(fields));
}

int CsvDecoder::ResolveColumn(const std::string& name, const Schema& schema,
                              const std::vector<int>& data_columns) const {
  for (int index : data_columns) {
    if (schema.field(index).name == name) return index;
  }
  for (int index : data_columns) {
    if (EqualsIgnoreCase(schema.field(index).name, name)) {
      return common_.case_sensitive ? kCaseMismatch : index;
    }
  }
  return kUnknownColumn;
}

std::string CsvDecoder::Describe(const Malformation& malformation, const CsvRecord& record, const Schema& schema,
                                 const std::vector<int>& target, const std::vector<std::string>& names,
                                 bool header) const {
  switch (malformation.kind) {
    case Malformation::kColumnCount:
      return fmt::format("{} values where the {} has {} columns", record.fields.size(), header ? "header" : "schema",
                         target.size());
    case Malformation::kConversion: {
      const Field& field = schema.field(target[malformation.column]);
      Token token = ResolveToken(record.fields[malformation.column], options_);
      return fmt::format("value '{}' of column '{}' is not a valid {}", token.text, names[malformation.column],
                         field.type->SimpleString());
    }
    case Malformation::kNone:
      break;
  }
  return "malformed record";
}

Status CsvDecoder::Decode(std::string_view content, const std::string& path, const Schema& schema,
                          const format::BatchCallback& on_batch, DecodeCounters* counters) {
  DecodeCounters scratch_counters;
  if (counters == nullptr) counters = &scratch_counters;
  std::string storage;
  std::string_view text = ToUtf8(content, options_.charset, &storage);

  // The rescued-data and corrupt-record columns are filled by the reader, not the file.
  int rescued_index = -1;
  int corrupt_index = -1;
  if (common_.rescued_data_column) {
    if (std::optional<int> index = schema.FieldIndex(*common_.rescued_data_column)) rescued_index = *index;
  }
  if (std::optional<int> index = schema.FieldIndex(options_.column_name_of_corrupt_record)) {
    if (schema.field(*index).type->id() != TypeId::kString) {
      return Status::Invalid("{}: the corrupt record column '{}' must be of type string, not {}", path,
                             options_.column_name_of_corrupt_record, schema.field(*index).type->SimpleString());
    }
    corrupt_index = *index;
  }
  if (rescued_index >= 0 && schema.field(rescued_index).type->id() != TypeId::kString) {
    return Status::Invalid("{}: the rescued data column '{}' must be of type string, not {}", path,
                           *common_.rescued_data_column, schema.field(rescued_index).type->SimpleString());
  }
  std::vector<int> data_columns;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (i == rescued_index || i == corrupt_index) continue;
    TRIB_RETURN_NOT_OK(CheckCsvColumnType(schema.field(i)).WithContext(path));
    data_columns.push_back(i);
  }
  const bool rescue = rescued_index >= 0;

  CsvTokenizer tokenizer(text, options_);
  CsvRecord record;
  // For each value position of this file: its name and its schema column.
  std::vector<std::string> names;
  std::vector<int> target;
  if (options_.header) {
    if (!tokenizer.Next(&record)) return Status::OK();
    names = SafeHeaderNames(record, options_);
    for (const std::string& name : names) {
      int index = ResolveColumn(name, schema, data_columns);
      bool reserved = name == options_.column_name_of_corrupt_record ||
                      (common_.rescued_data_column && name == *common_.rescued_data_column);
      if (index == kUnknownColumn && !reserved) counters->unknown_fields.insert(name);
      target.push_back(index);
    }
  } else {
    target = data_columns;
    for (int index : data_columns) names.push_back(schema.field(index).name);
  }

  auto schema_ptr = std::make_shared<const Schema>(schema);
  std::vector<ColumnBuilder> builders;
  builders.reserve(static_cast<size_t>(schema.num_fields()));
  for (const Field& field : schema.fields()) builders.emplace_back(field.type);
  int64_t rows = 0;
  auto flush = [&]() -> Status {
    if (rows == 0) return Status::OK();
    std::vector<ColumnPtr> columns;
    columns.reserve(builders.size());
    for (ColumnBuilder& builder : builders) columns.push_back(builder.Finish());
    TRIB_ASSIGN_OR_RETURN(auto batch, columnar::RecordBatch::Make(schema_ptr, rows, std::move(columns)));
    rows = 0;
    return on_batch(std::move(batch));
  };
  auto batch_bytes = [&]() {
    int64_t bytes = 0;
    for (const ColumnBuilder& builder : builders) bytes += builder.ByteSize();
    return bytes;
  };

  int64_t raw_since_check = 0;
  std::vector<Cell> cells(static_cast<size_t>(schema.num_fields()));
  RescuedDataBuilder rescued;
  while (tokenizer.Next(&record)) {
    for (int index : data_columns) cells[static_cast<size_t>(index)].tag = Cell::kNull;
    rescued.Reset();
    if (record.error != RecordError::kNone) {
      // Spark's parser stops the whole read on these, whatever the mode.
      return Status::Invalid("{}:{}: cannot parse CSV input: {}", path, record.line, RecordErrorReason(record.error));
    }
    Malformation malformation;
    if (record.fields.size() != target.size()) {
      // Spark: fewer values are padded with NULL, extra values dropped, and the
      // record counts as malformed either way.
      malformation.kind = Malformation::kColumnCount;
    }
    const size_t count = std::min(record.fields.size(), target.size());
    for (size_t i = 0; i < count; ++i) {
      Token token = ResolveToken(record.fields[i], options_);
      int index = target[i];
      if (index < 0) {
        if (rescue && !token.is_null) rescued.Add(names[i], token.text);
        continue;
      }
      if (token.is_null) continue;
      Cell& cell = cells[static_cast<size_t>(index)];
      if (!ConvertToken(token.text, *schema.field(index).type, options_, &cell)) {
        if (rescue) {
          rescued.Add(names[i], token.text);
        } else if (malformation.kind == Malformation::kNone) {
          malformation = Malformation{Malformation::kConversion, i};
        }
      }
    }
    const bool malformed = malformation.kind != Malformation::kNone;
    if (malformed) {
      ++counters->malformed;
      if (options_.mode == ParseMode::kFailFast) {
        constexpr size_t kPreview = 200;
        std::string_view preview = record.raw.substr(0, kPreview);
        return Status::Invalid("{}:{}: malformed CSV record ({}); parse mode FAILFAST: {}{}", path, record.line,
                               Describe(malformation, record, schema, target, names, options_.header), preview,
                               record.raw.size() > kPreview ? "..." : "");
      }
      if (options_.mode == ParseMode::kDropMalformed) {
        ++counters->dropped;
        continue;
      }
    }
    for (int i = 0; i < schema.num_fields(); ++i) {
      ColumnBuilder& builder = builders[static_cast<size_t>(i)];
      if (i == rescued_index) {
        if (rescued.empty()) {
          builder.AppendNull();
        } else {
          builder.AppendString(rescued.Finish(path));
        }
      } else if (i == corrupt_index) {
        if (malformed) {
          builder.AppendString(record.raw);
        } else {
          builder.AppendNull();
        }
      } else {
        AppendCell(cells[static_cast<size_t>(i)], &builder);
      }
    }
    ++counters->records;
    if (!rescued.empty()) ++counters->rescued;
    ++rows;
    // Measuring the builders costs a pass over the columns: do it every 64 rows, or
    // sooner when the input read since the last look is large.
    raw_since_check += static_cast<int64_t>(record.raw.size());
    bool check_bytes = (rows & 63) == 0 || raw_since_check * 16 >= common_.max_batch_bytes;
    if (check_bytes) raw_since_check = 0;
    if (rows >= common_.max_batch_rows || (check_bytes && batch_bytes() >= common_.max_batch_bytes)) {
      TRIB_RETURN_NOT_OK(flush());
    }
  }
  return flush();
}

}  // namespace

Result<std::unique_ptr<format::FileDecoder>> MakeCsvDecoder(const OptionMap& options,
                                                            const format::DecodeOptions& common) {
  TRIB_ASSIGN_OR_RETURN(CsvReadOptions parsed, ParseCsvReadOptions(options, common));
  if (common.max_batch_rows <= 0 || common.max_batch_bytes <= 0) {
    return Status::Invalid("CSV reader: max_batch_rows and max_batch_bytes must be positive");
  }
  return std::unique_ptr<format::FileDecoder>(new CsvDecoder(std::move(parsed), common));
}

}  // namespace tributary::csv
