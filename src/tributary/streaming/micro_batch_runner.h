#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tributary/streaming/checkpoint.h"
#include "tributary/streaming/query_plan.h"
#include "tributary/streaming/sink.h"
#include "tributary/streaming/source.h"
#include "tributary/streaming/query_progress.h"

namespace tributary::streaming {

/// Settings of the executor that are not options of the source or the sink.
struct RunnerOptions {
  TriggerSpec trigger;
  std::string query_name;
  /// spark.sql.streaming.minBatchesToRetain.
  int64_t min_batches_to_retain = 100;
  /// How long the default trigger waits before looking for new data again when the
  /// previous look found none.
  int64_t idle_poll_ms = 500;
  /// Test hook: called at named points of a batch ("afterOffsets", "afterSink",
  /// "afterCommit"); a non-OK status fails the batch there, as a crash would stop it.
  std::function<Status(std::string_view point, int64_t batch_id)> fault_hook;
};

/// The micro-batch loop (Spark's MicroBatchExecution) for one source and one sink:
/// recovery from the checkpoint, the offsets write-ahead log, the sink's idempotent
/// commit, the commits log, triggers, progress. Owned by StreamingQuery.
class MicroBatchRunner {
 public:
  MicroBatchRunner(std::unique_ptr<Checkpoint> checkpoint, std::unique_ptr<Source> source,
                   std::unique_ptr<Sink> sink, RunnerOptions options);
  ~MicroBatchRunner();

  /// Reads the checkpoint and restores the source; Corruption when the logs disagree.
  Status Recover();
  /// Starts the query thread. REQUIRES: Recover() succeeded.
  void StartThread();

  /// Stop after the batch in flight (async-signal-safe: only sets a flag).
  void RequestStop() { stop_requested_.store(true, std::memory_order_relaxed); }
  /// Abandon the batch in flight at its next step before the sink commits
  /// (async-signal-safe).
  void RequestAbort() {
    abort_requested_.store(true, std::memory_order_relaxed);
    stop_requested_.store(true, std::memory_order_relaxed);
  }
  /// RequestStop() and wake the query thread if it waits.
  void Stop();
  /// RequestAbort() and wake the query thread if it waits.
  void Abort();
  Status AwaitTermination();
  std::optional<Status> AwaitTermination(int64_t timeout_ms);
  bool IsActive() const;
  std::optional<QueryProgress> LastProgress() const;
  std::vector<QueryProgress> RecentProgress() const;
  void SetProgressListener(std::function<void(const QueryProgress&)> listener);

  const std::string& id() const { return checkpoint_->query_id(); }
  const std::string& run_id() const { return run_id_; }
  const std::string& name() const { return options_.query_name; }

  /// Runs the loop on the calling thread until the trigger ends, a stop, or an error.
  Status RunLoop();

 private:
  // Runs batch `batch_id` over (start, end]; `offsets_written` is false for a new
  // batch whose offsets file must be written first.
  Status RunBatch(int64_t batch_id, const std::optional<std::string>& start, const std::string& end,
                  bool offsets_written, int64_t trigger_start_ms, int64_t latest_offset_ms);
  bool StopRequested() const { return stop_requested_.load(std::memory_order_relaxed); }
  bool AbortRequested() const { return abort_requested_.load(std::memory_order_relaxed); }
  // Waits until `deadline_ms` (wall clock) or a stop; false when stopped.
  bool WaitUntil(int64_t deadline_ms);
  Status Hook(std::string_view point, int64_t batch_id);
  void Publish(QueryProgress progress);

  std::unique_ptr<Checkpoint> checkpoint_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<Sink> sink_;
  RunnerOptions options_;
  std::string run_id_;

  // Recovery result: a batch to re-run first, and where the next batch starts.
  std::optional<OffsetEntry> rerun_;
  std::optional<std::string> rerun_start_;
  std::optional<std::string> committed_end_;
  int64_t next_batch_id_ = 0;

  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> abort_requested_{false};
  std::thread thread_;

  mutable std::mutex mutex_;
  std::condition_variable state_changed_;
  bool active_ = false;
  std::optional<Status> result_;
  std::deque<QueryProgress> recent_;
  std::function<void(const QueryProgress&)> listener_;
};

}  // namespace tributary::streaming
