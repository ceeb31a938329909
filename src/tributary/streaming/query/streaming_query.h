#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/query_progress.h"

namespace tributary::streaming {

class MicroBatchRunner;

/// Checks everything `plan` says without touching storage: the source and sink
/// formats, every option name and value (Invalid naming the option; NotImplemented
/// naming unsupported values), the trigger. StreamingQuery::Start runs the same
/// checks first. For `tributary validate` and early errors in the API.
Status ValidatePlan(const QueryPlan& plan);

/// A running streaming query: the micro-batch loop of one source into one sink, with
/// Spark's checkpoint directory (offsets write-ahead log, commits log) for exactly-once
/// delivery across restarts.
///
/// Threading: batches run on one background thread owned by this object. All public
/// methods are thread-safe. Destroying the object aborts the query (as Abort()) and
/// joins the thread.
class StreamingQuery {
 public:
  /// Validates the plan as ValidatePlan() does (unknown or invalid options give Status::Invalid naming the
  /// option; unsupported values give NotImplemented naming them), opens the checkpoint,
  /// the source and the sink, and starts running batches on a background thread.
  /// Errors found while opening (corrupt checkpoint: Corruption naming the file) are
  /// returned here, not from AwaitTermination(). After a crash, the batch that has an
  /// offsets file but no commit is re-run first with exactly its recorded files; under
  /// Trigger.Once one more batch with everything available follows it.
  static Result<std::unique_ptr<StreamingQuery>> Start(const QueryPlan& plan);

  ~StreamingQuery();
  StreamingQuery(const StreamingQuery&) = delete;
  StreamingQuery& operator=(const StreamingQuery&) = delete;

  /// Blocks until the trigger says stop (once, availableNow), Stop()/Abort() was
  /// called, or a batch failed; returns that batch's error (OK after a trigger end,
  /// a Stop() or an Abort()).
  /// A schema change under cloudFiles.schemaEvolutionMode=addNewColumns ends the query
  /// with SchemaChanged: start it again to continue with the new schema.
  Status AwaitTermination();
  /// Like AwaitTermination() but gives up after `timeout_ms`; returns nullopt while
  /// the query is still active.
  std::optional<Status> AwaitTermination(int64_t timeout_ms);

  /// Asks the query to stop after the batch in flight (which commits as usual); a
  /// query waiting for data or for its next trigger stops at once. Thread-safe and
  /// non-blocking. Use RequestStop() from a signal handler.
  void Stop();
  /// Async-signal-safe variant of Stop(): only sets an atomic flag that the query
  /// thread polls (within 50 ms when idle).
  void RequestStop();
  /// Abandons the batch in flight at its next step before the sink commits (a
  /// restart re-runs it with the same files: exactly once either way), then stops.
  /// Async-signal-safe when called as RequestAbort(); Abort() also wakes the thread.
  void Abort();
  void RequestAbort();

  bool IsActive() const;
  /// The progress of the latest batch, if any ran in this run.
  std::optional<QueryProgress> LastProgress() const;
  /// Up to the last 100 batches' progress, oldest first.
  std::vector<QueryProgress> RecentProgress() const;

  /// Persistent id (stable across restarts on one checkpoint).
  const std::string& id() const;
  /// Id of this run.
  const std::string& run_id() const;
  const std::string& name() const;

  /// Called on the query thread after each batch commits. Set before batches matter
  /// (right after Start()); it may miss batches that ran before it was set.
  void SetProgressListener(std::function<void(const QueryProgress&)> listener);

 private:
  explicit StreamingQuery(std::unique_ptr<MicroBatchRunner> runner);
  std::unique_ptr<MicroBatchRunner> runner_;
};

}  // namespace tributary::streaming
