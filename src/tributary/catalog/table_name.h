#pragma once

#include <string>
#include <string_view>

#include "tributary/base/result.h"

namespace tributary::catalog {

/// A three-part table name, each part unquoted and lower-cased.
struct TableName {
  std::string catalog;
  std::string schema;
  std::string table;

  /// "catalog.schema.table", back-quoting parts that need it.
  std::string ToString() const;
};

/// Parses "catalog.schema.table". Each part is an identifier of letters, digits and
/// underscores (not only digits), or any text in back-quotes (a back-quote inside is
/// doubled: `a``b`). Parts are lower-cased, as Unity Catalog and the Hive metastore
/// compare names case-insensitively. A part may not be empty, ".", "..", or hold
/// '/' or '\\' (it becomes a directory name).
/// Errors: Invalid naming the whole name and the bad part.
Result<TableName> ParseTableName(std::string_view name);

/// The directory of table `name` under `warehouse`: <warehouse>/<catalog>/<schema>/<table>.
/// Errors: as ParseTableName; Invalid when `warehouse` is empty.
Result<std::string> ResolveTablePath(std::string_view warehouse, std::string_view name);

}  // namespace tributary::catalog
