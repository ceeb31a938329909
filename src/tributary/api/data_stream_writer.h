#pragma once

#include <concepts>
#include <functional>
#include <type_traits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/api/data_frame.h"
#include "tributary/api/option_values.h"
#include "tributary/api/streaming_query.h"
#include "tributary/api/trigger.h"
#include "tributary/base/result.h"
#include "tributary/streaming/query_plan.h"

namespace tributary {

/// PySpark's `DataStreamWriter` (`df.writeStream()`): describes the sink, the trigger
/// and the checkpoint of a streaming query, then starts it.
///
/// Errors: the fluent calls never fail on the spot; the first error of the whole chain
/// (reader included) is remembered and returned by the terminal call, `toTable()` or
/// `start()` (as the Status of their Result), or by the `Plan*()` calls, which build
/// the plan without starting anything. So a chain is checked in one place:
///
///   Result<StreamingQuery> query = df.writeStream().format("delta")....toTable("c.s.t");
///   if (!query.ok()) return query.status();
///   TRIB_RETURN_NOT_OK(query->awaitTermination());
class DataStreamWriter {
 public:
  explicit DataStreamWriter(DataFrame frame);

  /// The sink format: "delta" (default).
  DataStreamWriter& format(std::string_view sink);
  /// One sink option (`checkpointLocation`, `mergeSchema`, ...); names are
  /// case-insensitive; path-valued options resolve against the session's base directory.
  DataStreamWriter& option(std::string_view key, std::string_view value);
  DataStreamWriter& option(std::string_view key, const char* value) {
    return option(key, std::string_view(value));
  }
  DataStreamWriter& option(std::string_view key, const std::string& value) {
    return option(key, std::string_view(value));
  }
  DataStreamWriter& option(std::string_view key, bool value) { return option(key, OptionValueText(value)); }
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  DataStreamWriter& option(std::string_view key, T value) {
    return option(key, std::string_view(OptionValueText(value)));
  }
  DataStreamWriter& options(const std::map<std::string, std::string>& values);
  /// "append" (default) or "update"; "complete" needs an aggregation, which a file
  /// ingestion query does not have, so it is refused.
  DataStreamWriter& outputMode(std::string_view mode);
  /// Partition columns of the table created by this query, in order.
  DataStreamWriter& partitionBy(std::vector<std::string> columns);
  template <typename... Names>
    requires(std::convertible_to<Names, std::string> && ...)
  DataStreamWriter& partitionBy(Names&&... columns) {
    return partitionBy(std::vector<std::string>{std::string(std::forward<Names>(columns))...});
  }
  DataStreamWriter& queryName(std::string_view name);

  /// `foreachBatch(fn)`: instead of a table, each micro-batch goes to
  /// `fn(DataFrame batch, int64_t batch_id)`, which returns void or Status. `batch`
  /// holds the batch's rows; a DeltaTable MERGE of it (or of a DataFrame derived from
  /// it) inside `fn` is idempotent across crash re-runs on its own (see
  /// DeltaMergeBuilder). A Status error from `fn`, or from a merge inside it, fails the
  /// batch: nothing is marked done, and a restart runs it again. Start with start().
  template <typename F>
    requires std::invocable<F, DataFrame, int64_t>
  DataStreamWriter& foreachBatch(F&& function) {
    using R = std::invoke_result_t<F, DataFrame, int64_t>;
    if constexpr (std::is_void_v<R>) {
      return SetForeachBatch([fn = std::forward<F>(function)](DataFrame batch, int64_t batch_id) mutable -> Status {
        fn(std::move(batch), batch_id);
        return Status::OK();
      });
    } else {
      static_assert(std::is_same_v<R, Status>, "foreachBatch's function returns void or Status");
      return SetForeachBatch(std::function<Status(DataFrame, int64_t)>(std::forward<F>(function)));
    }
  }
  DataStreamWriter& trigger(const Trigger& trigger);

  /// Starts the query writing to the table `name` ("catalog.schema.table") under the
  /// session's warehouse, creating the table when absent.
  Result<StreamingQuery> toTable(std::string_view name) const;
  /// Starts the query writing to the Delta table at `path`.
  Result<StreamingQuery> start(std::string_view path) const;
  /// A declared MERGE as the sink (what the YAML `sink.merge` block describes): each
  /// micro-batch is merged into `spec.into` (a table name, or a path when it holds a
  /// '/', resolved against the session's base directory) with txn(query id, batch id),
  /// the table created from the first batch's schema when absent. Start with start().
  DataStreamWriter& mergeInto(streaming::MergeSinkSpec spec);

  /// Starts the query writing to option("path"), or running the foreachBatch function.
  Result<StreamingQuery> start() const;

  /// The first error of this writer's calls so far (OK when none); the reader chain's
  /// error is in the DataFrame's status().
  const Status& status() const { return status_; }

  /// The plan toTable(name) would start, without starting it.
  Result<streaming::QueryPlan> PlanForTable(std::string_view name) const;
  /// The plan start(path) would start, without starting it.
  Result<streaming::QueryPlan> PlanForPath(std::string_view path) const;

 private:
  void Fail(Status status);
  DataStreamWriter& SetForeachBatch(std::function<Status(DataFrame, int64_t)> function);
  Result<streaming::QueryPlan> Finish(streaming::SinkSpec sink) const;

  DataFrame frame_;
  streaming::SinkSpec sink_;
  Status status_;
};

}  // namespace tributary
