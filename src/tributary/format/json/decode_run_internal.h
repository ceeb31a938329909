#pragma once

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/file_decoder.h"
#include "tributary/format/json/read_options.h"
#include "tributary/format/json/record_reader_internal.h"
#include "tributary/format/json/value_converter_internal.h"

namespace tributary::json {

/// One Decode call: the builders, lookups and scratch buffers for one file.
class DecodeRun {
 public:
  DecodeRun(const JsonReadOptions& options, const format::DecodeOptions& common, std::string_view content,
            const std::string& path, const columnar::Schema& schema, const format::BatchCallback& on_batch,
            format::DecodeCounters* counters);

  /// Checks the schema, then decodes every record and emits the batches.
  Status Run();

 private:
  /// One record: a parse error, an object (one row), or an array of objects.
  Status DecodeRecord(const RecordText& record);
  /// Handles a record that is not valid JSON or not rows, as `mode` says.
  Status Malformed(const RecordText& record, std::string_view reason);
  /// Appends one row from `object`, whose source text is `object_text` (empty when
  /// unknown: the record was rewritten for lenient syntax).
  Status AppendRow(simdjson::dom::object object, std::string_view object_text, const RecordText& record);
  /// The source text of the `index`-th member value of the current row's object, or
  /// empty when unknown. Scanned at most once per row, and only when asked.
  std::string_view RawValue(size_t index);
  /// Checks `object` against the schema without appending (DROPMALFORMED).
  bool RowFits(simdjson::dom::object object);
  /// Index of the data column for a top-level key, or -1 (unknown). `*next` as in
  /// ValueConverter::LookupMember.
  int LookupColumn(std::string_view key, int* next);
  void NoteUnknownField(std::string_view key);
  // Records a column whose value held struct members the schema lacks.
  void NoteUnknownMembers(std::string_view column);
  /// Adds `key` and the value (its source text `raw`, or re-written when empty).
  void AddRescued(std::string_view key, simdjson::dom::element value, std::string_view raw);
  Status FinishRow();
  Status Flush();

  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };

  const JsonReadOptions& options_;
  const format::DecodeOptions& common_;
  std::string_view content_;
  const std::string& path_;
  columnar::SchemaPtr schema_;
  const format::BatchCallback& on_batch_;
  format::DecodeCounters own_counters_;  // when the caller passes none
  format::DecodeCounters* counters_;

  RecordParser parser_;
  ValueConverter converter_;
  columnar::DataTypePtr root_type_;
  TypePlan root_plan_;
  std::vector<columnar::ColumnBuilder> builders_;
  /// Top-level names lower-cased, to tell a case mismatch from a new field.
  std::unordered_set<std::string, TransparentHash, std::equal_to<>> lower_names_;
  std::unordered_set<std::string, TransparentHash, std::equal_to<>> unknown_fields_;
  int corrupt_index_ = -1;
  int rescued_index_ = -1;
  bool rescue_ = false;

  int64_t rows_ = 0;              // rows in the current batch
  int64_t bytes_since_check_ = 0;  // input bytes since the batch size was last measured
  std::string rescued_;           // the current row's rescued JSON object, unterminated
  std::string_view object_text_;  // the current row's source object text, or empty
  bool raw_scanned_ = false;
  bool raw_ok_ = false;
  std::vector<std::string_view> raw_values_;
  std::vector<std::string_view> element_texts_;
  std::string lower_scratch_;
};

}  // namespace tributary::json
