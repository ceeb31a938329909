#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/data_type.h"

namespace tributary::json {

/// How values of one schema type are read, prepared once per Decode: for a struct,
/// a hash lookup from member name to index (lower-cased names when matching ignores
/// case); one child plan per struct member, or the array element / map value.
struct TypePlan {
  const columnar::DataType* type = nullptr;
  std::vector<std::string> names;  // owns the lookup keys
  std::unordered_map<std::string_view, int> members;
  std::vector<TypePlan> children;
};

/// Builds the plan for `type`. Map keys must be strings (JSON object keys are).
TypePlan MakeTypePlan(const columnar::DataType& type, bool case_sensitive);

/// True when every map in `type` has string keys (what JSON can fill).
bool HasOnlyStringMapKeys(const columnar::DataType& type);

/// Converts JSON values into column builders as Spark's JacksonParser does. A value
/// that does not fit its type (a string in a long column, an out-of-range number,
/// an unparsable date) becomes NULL and is reported; everything else in the value is
/// still converted. Not thread-safe; reuses its scratch buffers.
class ValueConverter {
 public:
  explicit ValueConverter(bool case_sensitive) : case_sensitive_(case_sensitive) {}

  /// Appends `value` to `builder` (or only checks it when `builder` is null).
  /// Returns false when some part of it did not fit.
  bool Convert(simdjson::dom::element value, const TypePlan& plan, columnar::ColumnBuilder* builder);

  /// Index of the member named `key` in a struct plan, or -1. `*next` is the index
  /// expected next (records usually repeat the schema's key order, and a hit there
  /// skips hashing); it is updated to follow the member found. Start it at 0.
  int LookupMember(const TypePlan& plan, std::string_view key, int* next);

  /// Whether the record being converted had its lenient numbers rewritten (strings
  /// with kLenientNumberPrefix are then numbers).
  void set_lenient(bool lenient) { lenient_ = lenient; }

  /// Whether a nested object held a member its struct type lacks, since the last reset.
  bool saw_unknown_member() const { return saw_unknown_member_; }
  void ResetUnknownMember() { saw_unknown_member_ = false; }

  /// Describes the last value that did not fit ("JSON string to bigint").
  std::string LastMismatch() const;

 private:
  bool ConvertObject(simdjson::dom::object object, const TypePlan& plan, columnar::ColumnBuilder* builder);
  bool ConvertLenientNumber(std::string_view token, const TypePlan& plan, columnar::ColumnBuilder* builder);
  bool Mismatch(simdjson::dom::element value, const TypePlan& plan, columnar::ColumnBuilder* builder);

  bool case_sensitive_;
  bool lenient_ = false;
  bool saw_unknown_member_ = false;
  const columnar::DataType* mismatch_type_ = nullptr;
  simdjson::dom::element_type mismatch_found_ = simdjson::dom::element_type::NULL_VALUE;
  std::string scratch_;
  std::string key_scratch_;
};

/// Lower-cases ASCII letters of `text` into `out`.
void AsciiLower(std::string_view text, std::string* out);

}  // namespace tributary::json
