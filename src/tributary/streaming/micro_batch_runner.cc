#include "tributary/streaming/micro_batch_runner.h"

#include <chrono>
#include <ctime>

#include "tributary/base/log.h"
#include "tributary/base/uuid.h"

namespace tributary::streaming {

namespace {

constexpr size_t kRecentProgressLimit = 100;
// Longest a wait sleeps before looking at the stop flag, which a signal handler may
// set without notifying anyone.
constexpr int64_t kStopPollMs = 50;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string IsoTimestamp(int64_t epoch_ms) {
  std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, epoch_ms % 1000);
}

}  // namespace

MicroBatchRunner::MicroBatchRunner(std::unique_ptr<Checkpoint> checkpoint, std::unique_ptr<Source> source,
                                   std::unique_ptr<Sink> sink, RunnerOptions options)
    : checkpoint_(std::move(checkpoint)),
      source_(std::move(source)),
      sink_(std::move(sink)),
      options_(std::move(options)),
      run_id_(RandomUuid()) {}

MicroBatchRunner::~MicroBatchRunner() {
  Abort();
  if (thread_.joinable()) thread_.join();
}

Status MicroBatchRunner::Recover() {
  TRIB_ASSIGN_OR_RETURN(RecoveredState state, checkpoint_->Recover());
  if (state.latest_offsets && state.latest_offsets->source_offsets.size() != 1) {
    return Status::Corruption("offsets/{} in checkpoint '{}' holds {} source offsets; this query has 1 source",
                              state.latest_offsets->batch_id, checkpoint_->dir(),
                              state.latest_offsets->source_offsets.size());
  }
  if (state.previous_offsets && state.previous_offsets->source_offsets.size() != 1) {
    return Status::Corruption("offsets/{} in checkpoint '{}' holds {} source offsets; this query has 1 source",
                              state.previous_offsets->batch_id, checkpoint_->dir(),
                              state.previous_offsets->source_offsets.size());
  }
  next_batch_id_ = state.NextBatchId();
  if (state.HasUncommittedBatch()) {
    rerun_ = state.latest_offsets;
    if (state.previous_offsets) rerun_start_ = state.previous_offsets->source_offsets[0];
    committed_end_ = rerun_start_;
    log::Info("query {}: batch {} has offsets but no commit; re-running it with its recorded range", id(),
              rerun_->batch_id);
  } else if (state.latest_offsets) {
    committed_end_ = state.latest_offsets->source_offsets[0];
  }
  TRIB_RETURN_NOT_OK(source_->Restore(committed_end_));
  // The source may have missed the release of the last committed batch (a crash
  // right after commits/N); releasing again is idempotent.
  if (committed_end_ && !rerun_ && state.latest_commit) {
    TRIB_RETURN_NOT_OK(source_->Commit(*committed_end_, *state.latest_commit));
  }
  return Status::OK();
}

void MicroBatchRunner::StartThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    active_ = true;
  }
  thread_ = std::thread([this] {
    Status status = RunLoop();
    if (status.IsCancelled() && StopRequested()) status = Status::OK();
    if (!status.ok()) log::Error("query {} (run {}) failed: {}", id(), run_id_, status.ToString());
    // Release the file state and the table now, so that the checkpoint can be used
    // by a new query while this object lives on.
    source_.reset();
    sink_.reset();
    std::lock_guard<std::mutex> lock(mutex_);
    active_ = false;
    result_ = status;
    state_changed_.notify_all();
  });
}

void MicroBatchRunner::Stop() {
  RequestStop();
  std::lock_guard<std::mutex> lock(mutex_);
  state_changed_.notify_all();
}

void MicroBatchRunner::Abort() {
  RequestAbort();
  std::lock_guard<std::mutex> lock(mutex_);
  state_changed_.notify_all();
}

Status MicroBatchRunner::AwaitTermination() {
  std::unique_lock<std::mutex> lock(mutex_);
  state_changed_.wait(lock, [this] { return result_.has_value(); });
  return *result_;
}

std::optional<Status> MicroBatchRunner::AwaitTermination(int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!state_changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return result_.has_value(); })) {
    return std::nullopt;
  }
  return *result_;
}

bool MicroBatchRunner::IsActive() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

std::optional<QueryProgress> MicroBatchRunner::LastProgress() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (recent_.empty()) return std::nullopt;
  return recent_.back();
}

std::vector<QueryProgress> MicroBatchRunner::RecentProgress() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {recent_.begin(), recent_.end()};
}

void MicroBatchRunner::SetProgressListener(std::function<void(const QueryProgress&)> listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listener_ = std::move(listener);
}

bool MicroBatchRunner::WaitUntil(int64_t deadline_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!StopRequested()) {
    int64_t remaining = deadline_ms - NowMs();
    if (remaining <= 0) return true;
    state_changed_.wait_for(lock, std::chrono::milliseconds(std::min(remaining, kStopPollMs)));
  }
  return false;
}

Status MicroBatchRunner::Hook(std::string_view point, int64_t batch_id) {
  if (!options_.fault_hook) return Status::OK();
  return options_.fault_hook(point, batch_id);
}

void MicroBatchRunner::Publish(QueryProgress progress) {
  std::function<void(const QueryProgress&)> listener;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    recent_.push_back(progress);
    while (recent_.size() > kRecentProgressLimit) recent_.pop_front();
    listener = listener_;
  }
  if (listener) listener(progress);
}

Status MicroBatchRunner::RunLoop() {
  using Kind = TriggerSpec::Kind;
  const Kind kind = options_.trigger.kind;
  if (kind == Kind::kAvailableNow) TRIB_RETURN_NOT_OK(source_->PrepareForAvailableNow());
  if (rerun_) {
    OffsetEntry batch = std::move(*rerun_);
    rerun_.reset();
    TRIB_RETURN_NOT_OK(RunBatch(batch.batch_id, rerun_start_, batch.source_offsets[0], true, NowMs(), 0));
  }
  while (!StopRequested()) {
    int64_t trigger_start = NowMs();
    int64_t started = SteadyMs();
    TRIB_ASSIGN_OR_RETURN(std::optional<std::string> end,
                          source_->LatestOffset(committed_end_, kind != Kind::kOnce));
    int64_t latest_offset_ms = SteadyMs() - started;
    if (!end) {
      if (kind == Kind::kOnce || kind == Kind::kAvailableNow) break;
      int64_t wait = kind == Kind::kProcessingTime && options_.trigger.interval_ms > 0 ? options_.trigger.interval_ms
                                                                                        : options_.idle_poll_ms;
      if (!WaitUntil(trigger_start + wait)) break;
      continue;
    }
    TRIB_RETURN_NOT_OK(RunBatch(next_batch_id_, committed_end_, *end, false, trigger_start, latest_offset_ms));
    if (kind == Kind::kOnce) break;
    // An overrunning batch is followed by the next one at once.
    if (kind == Kind::kProcessingTime && !WaitUntil(trigger_start + options_.trigger.interval_ms)) break;
  }
  return Status::OK();
}

Status MicroBatchRunner::RunBatch(int64_t batch_id, const std::optional<std::string>& start, const std::string& end,
                                  bool offsets_written, int64_t trigger_start_ms, int64_t latest_offset_ms) {
  QueryProgress progress;
  progress.id = id();
  progress.run_id = run_id_;
  progress.name = options_.query_name;
  progress.timestamp = IsoTimestamp(trigger_start_ms);
  progress.batch_id = batch_id;
  progress.source_description = source_->Description();
  progress.sink_description = sink_->Description();
  progress.start_offset = start.value_or("null");
  progress.end_offset = end;
  progress.duration_ms["latestOffset"] = latest_offset_ms;
  int64_t batch_started = SteadyMs();

  int64_t phase = SteadyMs();
  if (!offsets_written) {
    OffsetEntry entry;
    entry.batch_id = batch_id;
    entry.batch_timestamp_ms = trigger_start_ms;
    entry.source_offsets.push_back(end);
    TRIB_RETURN_NOT_OK(checkpoint_->WriteOffsets(entry));
  }
  progress.duration_ms["walCommit"] = SteadyMs() - phase;
  TRIB_RETURN_NOT_OK(Hook("afterOffsets", batch_id));
  if (AbortRequested()) return Status::Cancelled("query aborted before batch {} ran", batch_id);

  phase = SteadyMs();
  SourceBatchStats stats;
  int64_t get_batch_ms = 0;
  BatchProducer produce = [&](const format::BatchCallback& write) -> Status {
    int64_t read_started = SteadyMs();
    Status status = source_->GetBatch(
        start, end, batch_id,
        [&](columnar::RecordBatchPtr batch) -> Status {
          if (AbortRequested()) return Status::Cancelled("query aborted during batch {}", batch_id);
          int64_t write_started = SteadyMs();
          Status written = write(std::move(batch));
          read_started += SteadyMs() - write_started;  // time in the sink is not getBatch time
          return written;
        },
        &stats);
    get_batch_ms = SteadyMs() - read_started;
    return status;
  };
  int64_t output_rows = 0;
  TRIB_RETURN_NOT_OK(sink_->AddBatch(id(), batch_id, source_->schema(), produce, &output_rows));
  progress.duration_ms["getBatch"] = get_batch_ms;
  progress.duration_ms["addBatch"] = SteadyMs() - phase;
  TRIB_RETURN_NOT_OK(Hook("afterSink", batch_id));

  phase = SteadyMs();
  TRIB_RETURN_NOT_OK(checkpoint_->WriteCommit(batch_id));
  TRIB_RETURN_NOT_OK(Hook("afterCommit", batch_id));
  TRIB_RETURN_NOT_OK(source_->Commit(end, batch_id));
  TRIB_RETURN_NOT_OK(checkpoint_->Purge(batch_id, options_.min_batches_to_retain));
  progress.duration_ms["commitOffsets"] = SteadyMs() - phase;
  committed_end_ = end;
  next_batch_id_ = batch_id + 1;

  int64_t total_ms = SteadyMs() - batch_started + latest_offset_ms;
  progress.duration_ms["triggerExecution"] = total_ms;
  progress.num_input_rows = stats.num_input_rows;
  progress.num_input_files = stats.num_input_files;
  progress.num_output_rows = output_rows;
  double seconds = static_cast<double>(std::max<int64_t>(total_ms, 1)) / 1000.0;
  progress.processed_rows_per_second = static_cast<double>(stats.num_input_rows) / seconds;
  progress.input_rows_per_second = progress.processed_rows_per_second;
  SourceBacklog backlog = source_->Backlog();
  progress.num_files_outstanding = backlog.num_files;
  progress.num_bytes_outstanding = backlog.num_bytes;
  Publish(std::move(progress));
  return Status::OK();
}

}  // namespace tributary::streaming
