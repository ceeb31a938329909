#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/api/data_frame.h"
#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/history.h"
#include "tributary/delta/restore.h"
#include "tributary/delta/table_detail.h"

namespace tributary::cli {

/// How `tributary table show` prints rows.
enum class RowFormat {
  /// Spark's show(): a boxed table, values as CAST(... AS STRING), NULL for null.
  kTable,
  /// One JSON object per row, as Spark's to_json / DataFrame.toJSON write it (see
  /// RenderRows).
  kJson,
  /// A header line, then one line per row: values as CAST(... AS STRING), null empty,
  /// quoted ("...", quotes doubled) when they hold a comma, quote, line break, or are
  /// the empty string.
  kCsv,
};

/// Renders the first `limit` rows of the batch DataFrame `rows` (all when limit < 0).
/// JSON follows Spark's to_json: null fields are left out, dates yyyy-MM-dd,
/// timestamps yyyy-MM-dd'T'HH:mm:ss.SSS in UTC with 'Z' (timestamp_ntz without it),
/// binary as base64, decimals and other numbers as JSON numbers (NaN and infinities as
/// the strings "NaN", "Infinity", "-Infinity"), structs and maps as objects, arrays
/// as arrays. Errors: those of evaluating the casts.
Result<std::string> RenderRows(const DataFrame& rows, RowFormat format, int64_t limit);

/// Spark's printSchema tree ("root\n |-- id: long (nullable = true)\n...").
std::string SchemaTreeString(const columnar::Schema& schema);

/// DESCRIBE DETAIL as "name  value" lines, then the schema tree.
std::string DetailText(const delta::TableDetail& detail);
/// DESCRIBE DETAIL as one JSON object, as Spark's toJSON of it: Delta's column names,
/// null fields left out, timestamps as ISO-8601 UTC text; plus "version" and "schema"
/// (Delta's schema JSON).
std::string DetailJson(const delta::TableDetail& detail);

/// DESCRIBE HISTORY as a table of version, timestamp, operation, parameters, metrics.
std::string HistoryText(const std::vector<delta::HistoryEntry>& entries);
/// DESCRIBE HISTORY as one JSON object per line, newest first, as Spark's toJSON of
/// it: version, timestamp (the commit timestamp, ISO-8601 UTC), then the commitInfo
/// fields that are DESCRIBE HISTORY columns, in its order, null ones left out;
/// operationParameters and operationMetrics values as strings (map<string,string>).
std::string HistoryJson(const std::vector<delta::HistoryEntry>& entries);

/// What RESTORE did: the versions, then Delta's metrics, one "name  value" per line.
std::string RestoreText(const delta::RestoreMetrics& metrics);
/// The same as one JSON object: "version" (committed), "restoredVersion", and Delta's
/// metric names (tableSizeAfterRestore, numOfFilesAfterRestore, numRemovedFiles,
/// numRestoredFiles, removedFilesSize, restoredFilesSize) as numbers.
std::string RestoreJson(const delta::RestoreMetrics& metrics);

/// "2026-11-28 10:00:00.123" (UTC; fraction trimmed, none when zero), as Spark's
/// show() prints a timestamp.
std::string TimestampText(int64_t ms);

}  // namespace tributary::cli
