#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/parquet/reader.h"

namespace tributary::delta {

/// How a table's columns are named in its data files, partitionValues and stats
/// (PROTOCOL.md "Column Mapping"): by their display names (none), by the physical
/// names in the column metadata (name), or by Parquet field ids (id; files written by
/// Delta also carry the physical names).
enum class ColumnMappingMode { kNone, kName, kId };

/// The mode table property delta.columnMapping.mode sets (none when absent).
/// Errors: Invalid naming the value for anything but none, name and id.
Result<ColumnMappingMode> ColumnMappingModeOf(const std::map<std::string, std::string>& configuration);

/// The name `field` has in data files, partitionValues and stats: its metadata's
/// delta.columnMapping.physicalName under name or id mode, its name otherwise.
std::string PhysicalName(const columnar::Field& field, ColumnMappingMode mode);

/// The field's delta.columnMapping.id (its Parquet field_id); nullopt when absent.
std::optional<int64_t> ColumnMappingId(const columnar::Field& field);

/// `field` as data files hold it: the physical name at every nesting level (struct
/// members, array elements, map keys and values), types and nullability unchanged.
columnar::Field PhysicalField(const columnar::Field& field, ColumnMappingMode mode);

/// `field` as a data file holds it under id mode: it and its nested struct members
/// take the names of the file fields (`file_fields`, one level) with their
/// delta.columnMapping.id as Parquet field_id; a field whose id the file lacks gets a
/// name no file field has, so that it reads as nulls (as the protocol asks).
columnar::Field FieldById(const columnar::Field& field, const std::vector<parquet::FileField>& file_fields);

/// `column` (read with a type of the same shape but other struct member names) under
/// `type`: the buffers are shared, only the names change.
columnar::ColumnPtr WithLogicalType(const columnar::ColumnPtr& column, const columnar::DataTypePtr& type);

}  // namespace tributary::delta
