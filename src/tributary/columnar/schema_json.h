#pragma once

#include <string>
#include <string_view>

#include "tributary/base/json.h"
#include "tributary/base/result.h"
#include "tributary/columnar/data_type.h"
#include "tributary/columnar/schema.h"

namespace tributary::columnar {

/// Spark's JSON schema form, which Delta stores as `metaData.schemaString` and Auto
/// Loader in `_schemas/N`:
///   struct: {"type":"struct","fields":[{"name":..,"type":..,"nullable":b,"metadata":{..}}]}
///   array:  {"type":"array","elementType":..,"containsNull":b}
///   map:    {"type":"map","keyType":..,"valueType":..,"valueContainsNull":b}
///   primitives as strings: "string", "long", "integer", "short", "byte", "float",
///   "double", "boolean", "binary", "date", "timestamp", "timestamp_ntz",
///   "decimal(p,s)".
/// Writing always emits "metadata", "containsNull" and "valueContainsNull"; field
/// metadata text is inserted as is ("{}" when empty).

/// The schema as a struct type's JSON.
std::string SchemaToJson(const Schema& schema);
/// A type's JSON: a quoted name for primitives ("\"long\""), an object otherwise.
std::string DataTypeToJson(const DataType& type);
/// Writes a type's JSON as the next value of `writer`.
void WriteDataTypeJson(const DataType& type, JsonWriter* writer);

/// Reads a struct type's JSON into a schema. Accepts "decimal(10, 2)" with spaces,
/// "decimal" alone as decimal(10,0), and char(n)/varchar(n) as string; missing
/// "nullable"/"containsNull"/"valueContainsNull" default to true and missing
/// "metadata" to "{}". Field metadata is kept as its exact source text.
/// Errors are Invalid and name where in the schema the problem is, e.g.
/// "schema JSON: fields[2].type: unknown type 'lng'"; the caller decides whether a
/// bad stored schema is corruption.
Result<Schema> SchemaFromJson(std::string_view json);
/// Reads a type's JSON: a quoted name or a struct/array/map object.
Result<DataTypePtr> DataTypeFromJson(std::string_view json);
/// As DataTypeFromJson, from an already parsed value; field metadata is then kept as
/// compact JSON (JsonValue::Serialize).
Result<DataTypePtr> DataTypeFromJsonValue(const JsonValue& value);

}  // namespace tributary::columnar
