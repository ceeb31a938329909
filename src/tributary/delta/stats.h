#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"

namespace tributary::delta {

/// What per-file statistics cover (Delta's table properties).
struct StatsOptions {
  /// delta.dataSkippingNumIndexedCols: stats for the first N leaf columns (nested
  /// fields count one by one); negative means all.
  int num_indexed_cols = 32;
  /// Spark's spark.databricks.io.skipping.stringPrefixLength.
  int string_prefix_length = 32;
  /// delta.dataSkippingStatsColumns, parsed: when not empty, only these columns (dotted
  /// paths; a struct stands for all its fields) get stats, whatever num_indexed_cols says.
  std::vector<std::string> stats_columns;
};

/// Parses delta.dataSkippingStatsColumns ("a, b.c, `d.e`.f") into dotted paths, with
/// back-quotes removed from each part. Names compare ignoring case.
std::vector<std::string> ParseStatsColumns(std::string_view property);

/// Collects a data file's `add.stats` (reference A3) over the batches written to it:
/// numRecords; minValues/maxValues for numbers, decimals, strings (prefix-truncated;
/// a truncated max gets a U+10FFFF tie-breaker so it stays an upper bound), dates and
/// timestamps (milliseconds, "...Z" for timestamp, no zone for timestamp_ntz); and
/// nullCount for every indexed leaf. Booleans, binary, arrays and maps get nullCount
/// only, as in Spark. Floating columns holding NaN or infinities get no min/max (JSON
/// cannot hold them). A null struct counts as null in each of its leaves.
/// Not thread-safe.
class StatsCollector {
 public:
  /// `schema` is the data files' schema (no partition columns).
  StatsCollector(const columnar::Schema& schema, StatsOptions options);
  ~StatsCollector();
  StatsCollector(StatsCollector&&) noexcept;
  StatsCollector& operator=(StatsCollector&&) noexcept;

  /// Adds a batch whose columns follow `schema` (same order and types).
  void Update(const columnar::RecordBatch& batch);

  int64_t num_records() const { return num_records_; }

  /// {"numRecords":..,"minValues":{..},"maxValues":{..},"nullCount":{..}}.
  std::string ToJson() const;

  struct Node;

 private:
  std::vector<std::unique_ptr<Node>> roots_;
  StatsOptions options_;
  int64_t num_records_ = 0;
};

}  // namespace tributary::delta
