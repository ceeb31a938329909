#include "tributary/delta/scan.h"

#include <charconv>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/take.h"
#include "tributary/columnar/temporal.h"
#include "tributary/delta/column_mapping.h"
#include "tributary/delta/deletion_vector.h"
#include "tributary/delta/protocol_support.h"
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
  // An invalid mode fails the read (CheckScanSupported); planning stays conservative.
  ColumnMappingMode mode = ColumnMappingModeOf(snapshot.configuration()).ValueOr(ColumnMappingMode::kNone);
  FileSkipper skipper(snapshot.schema(), snapshot.partition_columns(), predicate, mode);
  std::vector<AddFile> out;
  for (const AddFile& file : snapshot.files()) {
    if (skipper.MayMatch(file)) out.push_back(file);
  }
  return out;
}

Status CheckScanSupported(const Snapshot& snapshot, const std::vector<AddFile>& files,
                          const std::string& table_path) {
  TRIB_RETURN_NOT_OK(CheckReadSupported(snapshot, table_path));
  auto mode = ColumnMappingModeOf(snapshot.configuration());
  if (!mode.ok()) {
    return Status::NotImplemented("cannot read Delta table '{}': {}", table_path, mode.status().message());
  }
  for (const AddFile& file : files) {
    if (file.deletion_vector && file.deletion_vector->storage_type != "u" &&
        file.deletion_vector->storage_type != "i" && file.deletion_vector->storage_type != "p") {
      return Status::NotImplemented(
          "cannot read Delta table '{}': data file '{}' has a deletion vector with storageType "
          "'{}', which is not in the Delta protocol Tributary implements (u, i, p)",
          table_path, file.path, file.deletion_vector->storage_type);
    }
  }
  return Status::OK();
}

namespace {

// Drops the rows of `batch` (rows first_row .. first_row + num_rows - 1 of its file)
// listed in `deleted` (ascending), from `*next` on; advances `*next` past them.
Result<columnar::RecordBatchPtr> DropDeletedRows(columnar::RecordBatchPtr batch, int64_t first_row,
                                                 const std::vector<uint64_t>& deleted, size_t* next) {
  auto end_row = static_cast<uint64_t>(first_row + batch->num_rows());
  size_t stop = *next;
  while (stop < deleted.size() && deleted[stop] < end_row) ++stop;
  if (stop == *next) return batch;
  std::vector<int64_t> keep;
  keep.reserve(static_cast<size_t>(batch->num_rows()) - (stop - *next));
  size_t d = *next;
  for (int64_t row = 0; row < batch->num_rows(); ++row) {
    if (d < stop && deleted[d] == static_cast<uint64_t>(first_row + row)) {
      ++d;
      continue;
    }
    keep.push_back(row);
  }
  *next = stop;
  return columnar::TakeRows(*batch, keep);
}

// How the table's columns come from one data file: `read_schema` holds its data
// columns under the names the file uses; source[i] is table column i's index in it, or
// -1 for a partition column.
struct FileReadPlan {
  columnar::Schema read_schema;
  std::vector<int> source;
};

Result<FileReadPlan> PlanFileRead(const Snapshot& snapshot, ColumnMappingMode mode,
                                  const parquet::FileReader& reader, const std::string& table_path) {
  std::vector<parquet::FileField> file_fields;
  if (mode == ColumnMappingMode::kId) {
    file_fields = reader.fields();
    bool has_ids = std::any_of(file_fields.begin(), file_fields.end(),
                               [](const parquet::FileField& f) { return f.field_id.has_value(); });
    if (!has_ids && !file_fields.empty()) {
      return Status::NotImplemented(
          "Delta table '{}': data file '{}' has no Parquet field ids, which column mapping mode "
          "'id' resolves columns by",
          table_path, reader.path());
    }
  }
  const columnar::Schema& schema = snapshot.schema();
  std::vector<columnar::Field> data_fields;
  FileReadPlan plan;
  plan.source.assign(static_cast<size_t>(schema.num_fields()), -1);
  for (int i = 0; i < schema.num_fields(); ++i) {
    const columnar::Field& field = schema.field(i);
    bool is_partition = false;
    for (const std::string& column : snapshot.partition_columns()) {
      if (Lower(column) == Lower(field.name)) is_partition = true;
    }
    if (is_partition) continue;
    plan.source[static_cast<size_t>(i)] = static_cast<int>(data_fields.size());
    columnar::Field read_field =
        mode == ColumnMappingMode::kId ? FieldById(field, file_fields) : PhysicalField(field, mode);
    read_field.nullable = true;  // columns added later are absent from old files
    data_fields.push_back(std::move(read_field));
  }
  plan.read_schema = columnar::Schema(std::move(data_fields));
  return plan;
}

}  // namespace

Status ReadDataFile(const std::shared_ptr<io::FileSystem>& fs, const std::string& table_path,
                    const Snapshot& snapshot, const AddFile& file,
                    const std::function<Status(columnar::RecordBatchPtr)>& on_batch,
                    int64_t max_batch_rows) {
  TRIB_RETURN_NOT_OK(CheckScanSupported(snapshot, {file}, table_path));
  TRIB_ASSIGN_OR_RETURN(ColumnMappingMode mode, ColumnMappingModeOf(snapshot.configuration()));
  std::vector<uint64_t> deleted;
  if (file.deletion_vector) {
    auto rows = ReadDeletedRows(*fs, table_path, *file.deletion_vector);
    if (!rows.ok()) return rows.status().WithContext(fmt::format("data file '{}'", file.path));
    deleted = std::move(rows).value();
  }
  TRIB_ASSIGN_OR_RETURN(std::string path, DataFilePath(table_path, file.path));
  parquet::ReaderOptions options;
  options.max_batch_rows = max_batch_rows;
  // Physical names are exact (Spark generates them); display names match as Spark does.
  options.case_sensitive = mode != ColumnMappingMode::kNone;
  TRIB_ASSIGN_OR_RETURN(auto reader, parquet::FileReader::Open(fs, path, options));
  TRIB_ASSIGN_OR_RETURN(FileReadPlan plan, PlanFileRead(snapshot, mode, *reader, table_path));
  const columnar::Schema& schema = snapshot.schema();
  const std::vector<int>& source = plan.source;
  auto schema_ptr = std::make_shared<columnar::Schema>(schema);
  int64_t file_row = 0;  // a deletion vector counts rows from the start of the file
  size_t next_deleted = 0;
  return reader->Read(plan.read_schema, [&](columnar::RecordBatchPtr batch) -> Status {
    int64_t first_row = file_row;
    file_row += batch->num_rows();
    if (!deleted.empty()) {
      TRIB_ASSIGN_OR_RETURN(batch, DropDeletedRows(std::move(batch), first_row, deleted, &next_deleted));
      if (batch->num_rows() == 0) return Status::OK();
    }
    std::vector<ColumnPtr> columns;
    columns.reserve(static_cast<size_t>(schema.num_fields()));
    for (int i = 0; i < schema.num_fields(); ++i) {
      const columnar::Field& field = schema.field(i);
      int index = source[static_cast<size_t>(i)];
      if (index >= 0) {
        columns.push_back(WithLogicalType(batch->column(index), field.type));
        continue;
      }
      const std::optional<std::string>* value =
          FindPartitionValue(file.partition_values, PhysicalName(field, mode));
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
