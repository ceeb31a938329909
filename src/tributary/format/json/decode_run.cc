#include "tributary/base/json.h"
#include "tributary/format/json/decode_run_internal.h"

#include "tributary/format/json/json_text_internal.h"
#include "tributary/format/json/raw_text_internal.h"

namespace tributary::json {

using columnar::ColumnBuilder;
using columnar::TypeId;
using format::ParseMode;
using simdjson::dom::element;
using simdjson::dom::element_type;

DecodeRun::DecodeRun(const JsonReadOptions& options, const format::DecodeOptions& common, std::string_view content,
                     const std::string& path, const columnar::Schema& schema, const format::BatchCallback& on_batch,
                     format::DecodeCounters* counters)
    : options_(options),
      common_(common),
      content_(content),
      path_(path),
      schema_(std::make_shared<columnar::Schema>(schema)),
      on_batch_(on_batch),
      counters_(counters ? counters : &own_counters_),
      parser_(content, options),
      converter_(common.case_sensitive) {}

Status DecodeRun::Run() {
  auto find_column = [&](const std::string& name) {
    return common_.case_sensitive ? schema_->FieldIndex(name) : schema_->FieldIndexIgnoreCase(name);
  };
  if (std::optional<int> index = find_column(common_.column_name_of_corrupt_record)) {
    if (schema_->field(*index).type->id() != TypeId::kString) {
      return Status::Invalid("the corrupt record column '{}' must be of type string, not {}",
                             common_.column_name_of_corrupt_record, schema_->field(*index).type->SimpleString());
    }
    corrupt_index_ = *index;
  }
  if (common_.rescued_data_column) {
    if (std::optional<int> index = find_column(*common_.rescued_data_column)) {
      if (schema_->field(*index).type->id() != TypeId::kString) {
        return Status::Invalid("the rescued data column '{}' must be of type string, not {}",
                               *common_.rescued_data_column, schema_->field(*index).type->SimpleString());
      }
      rescued_index_ = *index;
      rescue_ = true;
    }
  }
  for (const columnar::Field& field : schema_->fields()) {
    if (!HasOnlyStringMapKeys(*field.type)) {
      return Status::NotImplemented("JSON reader: column '{}' ({}) has a map with non-string keys", field.name,
                                    field.type->SimpleString());
    }
    builders_.emplace_back(field.type);
    AsciiLower(field.name, &lower_scratch_);
    lower_names_.insert(lower_scratch_);
  }
  root_type_ = schema_->AsStruct();
  root_plan_ = MakeTypePlan(*root_type_, common_.case_sensitive);

  RecordSplitter splitter(content_, options_.multi_line, options_.line_sep);
  RecordText record;
  while (splitter.Next(&record)) {
    bytes_since_check_ += static_cast<int64_t>(record.text.size());
    TRIB_RETURN_NOT_OK(DecodeRecord(record));
  }
  TRIB_RETURN_NOT_OK(Flush());
  for (const std::string& name : unknown_fields_) counters_->unknown_fields.insert(name);
  return Status::OK();
}

Status DecodeRun::DecodeRecord(const RecordText& record) {
  element root;
  simdjson::error_code error = parser_.Parse(record.text, &root);
  if (error) return Malformed(record, simdjson::error_message(error));
  converter_.set_lenient(parser_.lenient());
  switch (root.type()) {
    case element_type::OBJECT:
      return AppendRow(root.get_object().value_unsafe(), parser_.lenient() ? std::string_view() : record.text,
                       record);
    case element_type::ARRAY: {
      // Spark reads an array of objects as one row per element.
      simdjson::dom::array array = root.get_array().value_unsafe();
      for (element item : array) {
        if (item.type() != element_type::OBJECT) {
          return Malformed(record, "a JSON array whose elements are not all objects is not a record");
        }
      }
      if (parser_.lenient() || !ScanArrayElements(record.text, &element_texts_)) element_texts_.clear();
      size_t i = 0;
      for (element item : array) {
        std::string_view text = i < element_texts_.size() ? element_texts_[i] : std::string_view();
        ++i;
        TRIB_RETURN_NOT_OK(AppendRow(item.get_object().value_unsafe(), text, record));
      }
      return Status::OK();
    }
    default:
      return Malformed(record, "a JSON scalar is not a record (records are JSON objects)");
  }
}

Status DecodeRun::Malformed(const RecordText& record, std::string_view reason) {
  ++counters_->malformed;
  switch (common_.mode) {
    case ParseMode::kFailFast:
      return Status::Invalid("malformed JSON record in '{}' at line {}: {} (mode FAILFAST)", path_, record.line, reason);
    case ParseMode::kDropMalformed:
      ++counters_->dropped;
      return Status::OK();
    case ParseMode::kPermissive:
      break;
  }
  for (size_t i = 0; i < builders_.size(); ++i) {
    if (static_cast<int>(i) == corrupt_index_) {
      builders_[i].AppendString(record.text);
    } else {
      builders_[i].AppendNull();
    }
  }
  return FinishRow();
}

int DecodeRun::LookupColumn(std::string_view key, int* next) {
  int index = converter_.LookupMember(root_plan_, key, next);
  if (index == corrupt_index_ || index == rescued_index_) return -1;
  return index;
}

void DecodeRun::NoteUnknownField(std::string_view key) {
  // A name that differs from a column only in case is rescued, not a new column:
  // Delta column names are case-insensitive.
  AsciiLower(key, &lower_scratch_);
  if (lower_names_.find(std::string_view(lower_scratch_)) != lower_names_.end()) return;
  if (unknown_fields_.find(key) == unknown_fields_.end()) unknown_fields_.emplace(key);
}

void DecodeRun::NoteUnknownMembers(std::string_view column) {
  auto& seen = counters_->fields_with_unknown_members;
  if (seen.find(column) == seen.end()) seen.emplace(column);
}

void DecodeRun::AddRescued(std::string_view key, element value, std::string_view raw) {
  rescued_.push_back(rescued_.empty() ? '{' : ',');
  tributary::AppendJsonString(&rescued_, key);
  rescued_.push_back(':');
  if (raw.empty()) {
    AppendCompactJson(value, &rescued_, parser_.lenient());
  } else {
    rescued_.append(raw);
  }
}

std::string_view DecodeRun::RawValue(size_t index) {
  if (object_text_.empty()) return {};
  if (!raw_scanned_) {
    raw_ok_ = ScanObjectValues(object_text_, &raw_values_);
    raw_scanned_ = true;
  }
  return raw_ok_ && index < raw_values_.size() ? raw_values_[index] : std::string_view();
}

bool DecodeRun::RowFits(simdjson::dom::object object) {
  int next = 0;
  for (simdjson::dom::key_value_pair member : object) {
    int index = LookupColumn(member.key, &next);
    if (index < 0) continue;
    if (!converter_.Convert(member.value, root_plan_.children[static_cast<size_t>(index)], nullptr)) return false;
  }
  return true;
}

Status DecodeRun::AppendRow(simdjson::dom::object object, std::string_view object_text, const RecordText& record) {
  if (common_.mode == ParseMode::kDropMalformed && !rescue_ && !RowFits(object)) {
    ++counters_->malformed;
    ++counters_->dropped;
    return Status::OK();
  }
  rescued_.clear();
  object_text_ = object_text;
  raw_scanned_ = false;
  bool malformed = false;
  int next = 0;
  size_t member_index = 0;
  for (simdjson::dom::key_value_pair member : object) {
    const size_t position = member_index++;
    int index = LookupColumn(member.key, &next);
    if (index < 0) {
      NoteUnknownField(member.key);
      if (rescue_) AddRescued(member.key, member.value, RawValue(position));
      continue;
    }
    ColumnBuilder& builder = builders_[static_cast<size_t>(index)];
    if (builder.length() > rows_) continue;  // a repeated key: the first one wins
    const TypePlan& plan = root_plan_.children[static_cast<size_t>(index)];
    element_type kind = member.value.type();
    if (plan.type->id() == TypeId::kString && kind != element_type::STRING && kind != element_type::NULL_VALUE) {
      // Spark 4 keeps a non-string value read as a string exactly as written.
      std::string_view raw = RawValue(position);
      if (!raw.empty()) {
        builder.AppendString(raw);
        continue;
      }
    }
    converter_.ResetUnknownMember();
    bool fits = converter_.Convert(member.value, plan, &builder);
    if (converter_.saw_unknown_member()) NoteUnknownMembers(member.key);
    if (rescue_) {
      // The whole top-level value is kept when any part of it did not fit.
      if (!fits || converter_.saw_unknown_member()) AddRescued(member.key, member.value, RawValue(position));
    } else if (!fits) {
      if (common_.mode == ParseMode::kFailFast) {
        ++counters_->malformed;
        return Status::Invalid("malformed JSON record in '{}' at line {}: field '{}': {} (mode FAILFAST)", path_,
                               record.line, member.key, converter_.LastMismatch());
      }
      malformed = true;
    }
  }
  for (size_t i = 0; i < builders_.size(); ++i) {
    ColumnBuilder& builder = builders_[i];
    if (builder.length() > rows_) continue;
    if (static_cast<int>(i) == corrupt_index_ && malformed) {
      builder.AppendString(record.text);
    } else if (static_cast<int>(i) == rescued_index_ && !rescued_.empty()) {
      rescued_.append(",\"_file_path\":");
      tributary::AppendJsonString(&rescued_, path_);
      rescued_.push_back('}');
      builder.AppendString(rescued_);
    } else {
      builder.AppendNull();
    }
  }
  if (malformed) ++counters_->malformed;
  if (!rescued_.empty()) ++counters_->rescued;
  return FinishRow();
}

Status DecodeRun::FinishRow() {
  ++rows_;
  if (rows_ >= common_.max_batch_rows) return Flush();
  // Measuring the builders walks them all, so do it only every few input bytes.
  if (bytes_since_check_ >= std::max<int64_t>(common_.max_batch_bytes / 8, 1)) {
    bytes_since_check_ = 0;
    int64_t size = 0;
    for (const ColumnBuilder& builder : builders_) size += builder.ByteSize();
    if (size >= common_.max_batch_bytes) return Flush();
  }
  return Status::OK();
}

Status DecodeRun::Flush() {
  if (rows_ == 0) return Status::OK();
  std::vector<columnar::ColumnPtr> columns;
  columns.reserve(builders_.size());
  for (ColumnBuilder& builder : builders_) columns.push_back(builder.Finish());
  TRIB_ASSIGN_OR_RETURN(columnar::RecordBatchPtr batch, columnar::RecordBatch::Make(schema_, rows_, std::move(columns)));
  counters_->records += rows_;
  rows_ = 0;
  return on_batch_(std::move(batch));
}

}  // namespace tributary::json
