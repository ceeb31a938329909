#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/columnar/schema.h"

namespace tributary::streaming {

/// When micro-batches run (Spark's Trigger).
struct TriggerSpec {
  enum class Kind {
    /// No trigger given: run batches back to back as data arrives, until stopped.
    kDefault,
    /// Trigger.ProcessingTime(interval): one batch per interval, until stopped.
    kProcessingTime,
    /// Trigger.Once(): one batch with everything available, ignoring rate limits, then stop.
    kOnce,
    /// Trigger.AvailableNow(): everything available at start, in rate-limited batches, then stop.
    kAvailableNow,
  };
  Kind kind = Kind::kDefault;
  int64_t interval_ms = 0;  // kProcessingTime only
};

/// `spark.readStream.format(...).options(...).schema(...).load(path)`.
struct SourceSpec {
  std::string format;             // "cloudFiles" (later "kafka", "delta")
  std::string path;               // load(path)
  OptionMap options;              // as given, case-insensitive names
  std::optional<columnar::Schema> user_schema;  // .schema(...), when given
};

/// `df.writeStream.format(...).options(...).trigger(...).toTable(name) / .start(path)`.
struct SinkSpec {
  std::string format = "delta";
  std::optional<std::string> table_name;  // toTable("catalog.schema.table")
  std::optional<std::string> path;        // start(path) / option("path")
  OptionMap options;                      // checkpointLocation, mergeSchema, ...
  std::vector<std::string> partition_by;  // partitionBy(...)
  std::string output_mode = "append";     // outputMode(...)
  std::string query_name;                 // queryName(...)
  TriggerSpec trigger;
};

/// One streaming query, as the YAML pipeline and the C++ API both describe it.
struct QueryPlan {
  SourceSpec source;
  SinkSpec sink;
  /// Root under which three-part table names resolve (warehouse/catalog/schema/table).
  std::string warehouse = "./warehouse";
};

}  // namespace tributary::streaming
