#pragma once

#include <simdjson.h>

#include <string>

#include "tributary/columnar/data_type.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/json/read_options.h"

namespace tributary::json {

/// Accumulates the type of many JSON values as Spark's JsonInferSchema does, merging
/// with format::MergeInferredTypes. Types are merged in place: once the schema is
/// stable, inferring another record allocates nothing. Not thread-safe.
class TypeAccumulator {
 public:
  explicit TypeAccumulator(const JsonReadOptions& options) : options_(options) {}

  /// Whether the record being added had its lenient numbers rewritten.
  void set_lenient(bool lenient) { lenient_ = lenient; }

  /// Merges the type of `value` into `*type` (null = only nulls seen so far).
  void Add(simdjson::dom::element value, columnar::DataTypePtr* type);

 private:
  columnar::DataTypePtr AddObject(simdjson::dom::object object, const columnar::DataTypePtr& current);
  columnar::DataTypePtr AddArray(simdjson::dom::array array, const columnar::DataTypePtr& current);
  columnar::DataTypePtr NumberType(simdjson::dom::element value);
  columnar::DataTypePtr LenientNumberType(std::string_view token);

  const JsonReadOptions& options_;
  bool lenient_ = false;
  std::string scratch_;
};

/// Turns the accumulated root type of a file (a struct, or null when no record had
/// fields) into its schema, as Spark's canonicalizeType does: fields with empty names
/// and empty structs are removed, null-only types become string (or are removed with
/// dropFieldIfAllNull), struct fields are sorted by name, and of names that differ
/// only in case the first in that order is kept. Without `infer_types`
/// every remaining top-level column becomes a string (Auto Loader's default).
columnar::Schema FinishInferredSchema(const columnar::DataTypePtr& root, const JsonReadOptions& options,
                                      bool infer_types);

}  // namespace tributary::json
