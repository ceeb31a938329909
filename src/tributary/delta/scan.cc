#include "tributary/delta/scan.h"

#include <charconv>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"
#include "tributary/delta/table.h"
#include "tributary/format/parquet/reader.h"

namespace tributary::delta {

using columnar::ColumnPtr;
using columnar::DataTypePtr;
using columnar::TypeId;

namespace {

template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Appends one parsed partition value; false when it does not parse.
bool AppendValue(columnar::ColumnBuilder& builder, const columnar::DataType& type,
                 const std::string& value) {
  switch (type.id()) {
    case TypeId::kBoolean: {
      std::string lower = Lower(value);
      if (lower != "true" && lower != "false") return false;
      builder.AppendBool(lower == "true");
      return true;
    }
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong: {
      int64_t v = 0;
      if (!ParseNumber(value, &v)) return false;
      builder.AppendInt(v);
      return true;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double v = 0;
      if (!ParseNumber(value, &v)) return false;
      builder.AppendDouble(v);
      return true;
    }
    case TypeId::kDecimal: {
      auto v = columnar::ParseDecimal(value, type.precision(), type.scale());
      if (!v) return false;
      builder.AppendDecimal(*v);
      return true;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      builder.AppendString(value);
      return true;
    case TypeId::kDate: {
      auto v = columnar::ParseDate(value);
      if (!v) return false;
      builder.AppendInt(*v);
      return true;
    }
    case TypeId::kTimestamp: {
      auto v = columnar::ParseTimestamp(value);
      if (!v) return false;
      builder.AppendInt(*v);
      return true;
    }
    case TypeId::kTimestampNtz: {
      auto v = columnar::ParseTimestampNtz(value);
      if (!v) return false;
      builder.AppendInt(*v);
      return true;
    }
    default:
      return false;
  }
}

const std::optional<std::string>* FindPartitionValue(const PartitionValues& values,
                                                     const std::string& column) {
  auto it = values.find(column);
  if (it != values.end()) return &it->second;
  std::string lower = Lower(column);
  for (const auto& [key, value] : values) {
    if (Lower(key) == lower) return &value;
  }
  return nullptr;
}

}  // namespace

Result<ColumnPtr> PartitionValueColumn(const DataTypePtr& type, const std::optional<std::string>& value,
                                       int64_t length) {
  if (!value || value->empty()) return columnar::Column::MakeNull(type, length);
  columnar::ColumnBuilder builder(type);
  if (!AppendValue(builder, *type, *value)) {
    return Status::Invalid("partition value '{}' is not a valid {}", *value, type->DeltaName());
  }
  ColumnPtr one = builder.Finish();
  if (length == 1) return one;
  columnar::ColumnBuilder repeated(type);
  for (int64_t i = 0; i < length; ++i) {
    if (!AppendValue(repeated, *type, *value)) return Status::Internal("partition value changed");
  }
  return repeated.Finish();
}

std::vector<AddFile> PlanScan(const Snapshot& snapshot, const FilePredicate& predicate) {
  if (predicate.IsAll()) return snapshot.files();
  FileSkipper skipper(snapshot.schema(), snapshot.partition_columns(), predicate);
  std::vector<AddFile> out;
  for (const AddFile& file : snapshot.files()) {
    if (skipper.MayMatch(file)) out.push_back(file);
  }
  return out;
}

Status CheckScanSupported(const Snapshot& snapshot, const std::vector<AddFile>& files,
                          const std::string& table_path) {
  std::string mode = snapshot.Property("delta.columnMapping.mode", "none");
  if (mode != "none") {
    return Status::NotImplemented(
        "cannot read Delta table '{}': it uses column mapping (delta.columnMapping.mode={}), "
        "which Tributary does not read yet",
        table_path, mode);
  }
  for (const AddFile& file : files) {
    if (!file.deletion_vector_id.empty()) {
      return Status::NotImplemented(
          "cannot read Delta table '{}': data file '{}' has a deletion vector (feature "
          "deletionVectors), which Tributary does not read yet",
          table_path, file.path);
    }
  }
  return Status::OK();
}

Status ReadDataFile(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_path,
                    const Snapshot& snapshot, const AddFile& file,
                    const std::function<Status(columnar::RecordBatchPtr)>& on_batch,
                    int64_t max_batch_rows) {
  TRIB_RETURN_NOT_OK(CheckScanSupported(snapshot, {file}, table_path));
  const columnar::Schema& schema = snapshot.schema();
  const auto& partition_columns = snapshot.partition_columns();
  // Where each table column comes from: the file (index into the read schema) or a
  // partition value (-1).
  std::vector<columnar::Field> data_fields;
  std::vector<int> source(static_cast<size_t>(schema.num_fields()), -1);
  std::vector<ColumnPtr> partition_values(static_cast<size_t>(schema.num_fields()));
  for (int i = 0; i < schema.num_fields(); ++i) {
    const columnar::Field& field = schema.field(i);
    bool is_partition = false;
    for (const std::string& column : partition_columns) {
      if (Lower(column) == Lower(field.name)) is_partition = true;
    }
    if (!is_partition) {
      source[static_cast<size_t>(i)] = static_cast<int>(data_fields.size());
      columnar::Field read_field = field;
      read_field.nullable = true;  // columns added later are absent from old files
      data_fields.push_back(std::move(read_field));
    }
  }
  TRIB_ASSIGN_OR_RETURN(std::string path, DataFilePath(table_path, file.path));
  parquet::ReaderOptions options;
  options.max_batch_rows = max_batch_rows;
  TRIB_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(fs, path, options));
  columnar::Schema read_schema(std::move(data_fields));
  auto schema_ptr = std::make_shared<columnar::Schema>(schema);
  return reader->Read(read_schema, [&](columnar::RecordBatchPtr batch) -> Status {
    std::vector<ColumnPtr> columns;
    columns.reserve(static_cast<size_t>(schema.num_fields()));
    for (int i = 0; i < schema.num_fields(); ++i) {
      int index = source[static_cast<size_t>(i)];
      if (index >= 0) {
        columns.push_back(batch->column(index));
        continue;
      }
      const columnar::Field& field = schema.field(i);
      const std::optional<std::string>* value = FindPartitionValue(file.partition_values, field.name);
      auto column = PartitionValueColumn(field.type, value ? *value : std::nullopt, batch->num_rows());
      if (!column.ok()) {
        return Status::Corruption("Delta table '{}': data file '{}', partition column '{}': {}",
                                  table_path, file.path, field.name, column.status().message());
      }
      columns.push_back(std::move(column).value());
    }
    return on_batch(std::make_shared<columnar::RecordBatch>(schema_ptr, batch->num_rows(),
                                                            std::move(columns)));
  });
}

Status ScanTable(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_path,
                 const Snapshot& snapshot, const ScanOptions& options,
                 const std::function<Status(columnar::RecordBatchPtr)>& on_batch) {
  std::vector<AddFile> files = PlanScan(snapshot, options.predicate);
  TRIB_RETURN_NOT_OK(CheckScanSupported(snapshot, files, table_path));
  for (const AddFile& file : files) {
    TRIB_RETURN_NOT_OK(ReadDataFile(fs, table_path, snapshot, file, on_batch, options.max_batch_rows));
  }
  return Status::OK();
}

}  // namespace tributary::delta
