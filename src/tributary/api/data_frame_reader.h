#pragma once

#include <concepts>
#include <map>
#include <string>
#include <string_view>

#include "tributary/api/data_frame.h"
#include "tributary/api/option_values.h"
#include "tributary/api/session.h"
#include "tributary/base/status.h"

namespace tributary {

class DeltaTable;

/// PySpark's `DataFrameReader` (`session.read()`): batch reads of Delta tables, with
/// time travel:
///
///   session.read().format("delta").option("versionAsOf", 3).table("main.bronze.events")
///   session.read().format("delta").option("timestampAsOf", "2026-11-28 10:00:00").load(path)
///
/// Options (names case-insensitive, as Spark's): `versionAsOf` (a version number) or
/// `timestampAsOf` (Spark's timestamp text, UTC when it has no zone: the latest
/// version committed at or before it), not both. Without them the latest version.
/// Errors travel in the returned DataFrame's status(): another format than "delta",
/// an unknown option, a bad value, a version removed by log cleanup, a timestamp
/// outside the table's history (worded as Delta's errors).
class DataFrameReader {
 public:
  explicit DataFrameReader(Session session) : session_(std::move(session)) {}

  /// The source format; only "delta" reads in batch.
  DataFrameReader& format(std::string_view source);
  DataFrameReader& option(std::string_view key, std::string_view value);
  DataFrameReader& option(std::string_view key, const char* value) { return option(key, std::string_view(value)); }
  DataFrameReader& option(std::string_view key, const std::string& value) {
    return option(key, std::string_view(value));
  }
  DataFrameReader& option(std::string_view key, bool value) { return option(key, OptionValueText(value)); }
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  DataFrameReader& option(std::string_view key, T value) {
    return option(key, std::string_view(OptionValueText(value)));
  }
  DataFrameReader& options(const std::map<std::string, std::string>& values);

  /// The rows of the table at `path` (resolved against the session's base directory).
  DataFrame load(std::string_view path) const;
  /// The rows of the table `catalog.schema.table` under the session's warehouse.
  DataFrame table(std::string_view name) const;

 private:
  DataFrame Read(const DeltaTable& table) const;

  Session session_;
  std::string format_ = "delta";
  std::map<std::string, std::string> options_;  // keys lower-cased
};

}  // namespace tributary
