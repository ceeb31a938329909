#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/data_type.h"
#include "tributary/columnar/schema.h"

namespace tributary::columnar {

/// Parses a Spark DDL column list, the form of `.schema("...")` and
/// `cloudFiles.schemaHints`:
///   "id BIGINT, name STRING NOT NULL COMMENT 'the name',
///    s STRUCT<a: INT, b: ARRAY<STRING>>, m MAP<STRING, INT>, d DECIMAL(10,2)"
/// Names may be backquoted (`a b`, with `` for a literal backquote). Type names are
/// case-insensitive and take Spark's aliases: TINYINT/BYTE, SMALLINT/SHORT,
/// INT/INTEGER, BIGINT/LONG, FLOAT/REAL, DOUBLE, DECIMAL/DEC/NUMERIC[(p[,s])] (default
/// (10,0)), STRING, VARCHAR(n)/CHAR(n) (read as STRING), BINARY, BOOLEAN, DATE,
/// TIMESTAMP/TIMESTAMP_LTZ, TIMESTAMP_NTZ, ARRAY<t>, MAP<k, v>, STRUCT<name[:] t, ...>.
/// `COMMENT 'text'` is stored in the field's metadata as Spark does
/// ({"comment":"text"}). Array elements and map values from DDL are nullable.
///
/// Errors are Invalid and name the position (0-based character offset) and the
/// offending token, e.g. "DDL: unknown type 'BIGINTT' at position 3 in 'id BIGINTT'".
Result<Schema> ParseDdlSchema(std::string_view ddl);

/// Parses one DDL type, e.g. "ARRAY<STRUCT<a: INT>>" or "decimal(10, 2)".
Result<DataTypePtr> ParseDdlType(std::string_view ddl);

/// One entry of a DDL list whose names are dotted paths ("a.b.c INT", "`x.y` INT",
/// "arr.element STRING"); used by schema hints.
struct DdlPathColumn {
  /// The path components; a backquoted component is one component even if it holds
  /// dots. Never empty.
  std::vector<std::string> path;
  DataTypePtr type;
  bool nullable = true;
  /// "{}" or {"comment":"..."}.
  std::string metadata_json = "{}";
  /// The entry's text as written, for error messages.
  std::string text;
};

/// Parses "a.b.c TYPE [NOT NULL] [COMMENT '...'], `x.y` INT, ..." (an empty or
/// all-blank list gives no entries). Errors as for ParseDdlSchema.
Result<std::vector<DdlPathColumn>> ParseDdlPathList(std::string_view ddl);

/// Quotes a name for DDL when needed: `a b`, `x.y`, `we``ird`; plain identifiers
/// ([A-Za-z0-9_]+) are returned as is.
std::string QuoteDdlName(std::string_view name);

}  // namespace tributary::columnar
