#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/query/streaming_query.h"

namespace tributary {

/// Progress of one micro-batch (PySpark's `StreamingQueryProgress`); `ToJson()` gives
/// Spark's JSON shape.
using QueryProgress = streaming::QueryProgress;

/// PySpark's `StreamingQuery`: a handle on a running query, returned by
/// `DataStreamWriter::toTable()` / `start()`.
///
/// Copies share the same running query; the query stops when the last copy is
/// destroyed (Stop(), then the batch thread is joined). Methods are thread-safe.
class StreamingQuery {
 public:
  /// Starts `plan` on the engine (streaming::StreamingQuery::Start): errors found while
  /// opening the checkpoint, source or sink are returned here.
  static Result<StreamingQuery> Start(const streaming::QueryPlan& plan);

  /// Blocks until the trigger says stop, stop() was called, or a batch failed, and
  /// returns that error (OK after a normal end). SchemaChanged means the schema was
  /// widened and persisted: start the query again to continue with it.
  Status awaitTermination();
  /// Waits at most `timeout_ms`; nullopt while the query is still running.
  std::optional<Status> awaitTermination(int64_t timeout_ms);
  /// Stops the query after the batch in flight commits (a query waiting for data stops
  /// at once); a restart continues exactly once. Non-blocking.
  void stop();
  /// Async-signal-safe stop(), for signal handlers.
  void RequestStop();
  /// Abandons the batch in flight before its commit, then stops; a restart re-runs
  /// that batch with the same files (exactly once either way). Non-blocking.
  void Abort();
  /// Async-signal-safe Abort(), for signal handlers.
  void RequestAbort();
  bool isActive() const;

  /// The latest batch's progress in this run, if a batch ran.
  std::optional<QueryProgress> lastProgress() const;
  /// The progress of recent batches, oldest first.
  std::vector<QueryProgress> recentProgress() const;
  /// Called on the query's thread after each committed batch.
  void SetProgressListener(std::function<void(const QueryProgress&)> listener);

  /// Persistent id, stable across restarts on one checkpoint.
  std::string id() const;
  /// Id of this run.
  std::string runId() const;
  std::string name() const;

  /// The plan this query runs.
  const streaming::QueryPlan& plan() const { return *plan_; }

 private:
  StreamingQuery(std::shared_ptr<streaming::StreamingQuery> query,
                 std::shared_ptr<const streaming::QueryPlan> plan);

  std::shared_ptr<streaming::StreamingQuery> query_;
  std::shared_ptr<const streaming::QueryPlan> plan_;
};

}  // namespace tributary
