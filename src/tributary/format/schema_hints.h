#pragma once

#include <string_view>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"

namespace tributary::format {

/// Applies Auto Loader's `cloudFiles.schemaHints` to an inferred schema.
///
/// `hints` is a DDL list whose names are paths, e.g.
///   "date DATE, user_info.dob DATE, purchase_options MAP<STRING,STRING>,
///    tags.element INT, attrs.value STRING, `a.b` LONG"
/// For each hint, in order:
///  - the path is walked from the top-level columns: a struct is entered by field
///    name, an array by `element`, a map by `key` or `value`; names match exactly,
///    or else ignoring ASCII case (Spark's default spark.sql.caseSensitive=false);
///  - when the path exists, the type there is replaced by the hint's type (a field
///    keeps its name and metadata; NOT NULL in the hint makes it non-nullable);
///  - when the last name (or a struct on the way) is missing, the field is added at
///    the end of its struct, with missing intermediate structs created, so that
///    hinted columns not seen yet exist (older rows read them as null).
/// Hints do not check that values fit: readers rescue values that do not.
///
/// Errors are Invalid and quote the hint text, e.g.
/// "cloudFiles.schemaHints: hint 'id.x INT': 'id' is bigint, not a struct", or the
/// DDL parser's error for a malformed list.
Result<columnar::Schema> ApplySchemaHints(const columnar::Schema& inferred, std::string_view hints);

}  // namespace tributary::format
