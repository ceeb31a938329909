#pragma once

#include <concepts>
#include <map>
#include <string>
#include <string_view>

#include "tributary/api/data_frame.h"
#include "tributary/api/option_values.h"
#include "tributary/api/session.h"
#include "tributary/base/status.h"
#include "tributary/columnar/schema.h"
#include "tributary/streaming/query_plan.h"

namespace tributary {

/// PySpark's `DataStreamReader` (`session.readStream()`): describes a streaming source.
///
/// Errors: the fluent calls never fail on the spot. The first invalid call (an empty
/// format, an unparsable schema) is remembered and travels down the chain; the
/// terminal call of the writer (`toTable`, `start`, or `Plan*`) returns it as a
/// Status. Option names and values are checked by the engine when the query starts,
/// with errors naming the option.
class DataStreamReader {
 public:
  explicit DataStreamReader(Session session);

  /// The source format: "cloudFiles" (Auto Loader); later "kafka", "delta".
  DataStreamReader& format(std::string_view source);
  /// One option, as PySpark spells it; names are case-insensitive. Path-valued options
  /// are resolved against the session's base directory (see Session).
  DataStreamReader& option(std::string_view key, std::string_view value);
  DataStreamReader& option(std::string_view key, const char* value) {
    return option(key, std::string_view(value));
  }
  DataStreamReader& option(std::string_view key, const std::string& value) {
    return option(key, std::string_view(value));
  }
  DataStreamReader& option(std::string_view key, bool value) { return option(key, OptionValueText(value)); }
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  DataStreamReader& option(std::string_view key, T value) {
    return option(key, std::string_view(OptionValueText(value)));
  }
  /// Several options at once.
  DataStreamReader& options(const std::map<std::string, std::string>& values);
  /// A user schema as DDL ("id BIGINT, payload STRUCT<a: STRING>"): no inference.
  DataStreamReader& schema(std::string_view ddl);
  DataStreamReader& schema(columnar::Schema schema);

  /// `load(path)`: the streaming DataFrame of the files under `path`.
  DataFrame load(std::string_view path);
  /// `load()`: for sources without a path (Kafka), or with option("path", ...).
  DataFrame load();

  /// The first error of the chain so far (OK when none): lets a loader that drives the
  /// chain step by step say which input line caused it.
  const Status& status() const { return status_; }

 private:
  void Fail(Status status);

  Session session_;
  streaming::SourceSpec source_;
  std::string schema_ddl_;
  Status status_;
};

}  // namespace tributary
