#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/format/file_decoder.h"

namespace tributary::streaming {

/// What is known to be available but not yet part of any batch.
struct SourceBacklog {
  int64_t num_files = 0;
  int64_t num_bytes = 0;
};

/// What reading one batch's range saw.
struct SourceBatchStats {
  int64_t num_input_rows = 0;
  int64_t num_input_files = 0;
};

/// A replayable streaming source (Spark's Source / SupportsAdmissionControl).
///
/// Offsets are JSON texts that the source alone interprets; the executor stores them
/// in `offsets/<batchId>` before a batch runs, and a batch is always re-read from the
/// same (start, end] pair, so GetBatch must return the same rows for the same pair.
/// Methods are called from the query thread only.
class Source {
 public:
  virtual ~Source() = default;

  /// "CloudFilesSource[/landing/events]".
  virtual std::string Description() const = 0;
  /// The schema of the rows GetBatch produces.
  virtual const columnar::Schema& schema() const = 0;

  /// Called once at start, after recovery, with the end offset of the last committed
  /// batch (nullopt when none was committed yet).
  virtual Status Restore(const std::optional<std::string>& committed_end) = 0;

  /// Trigger.AvailableNow: fix the end of what this run will read to what is
  /// available now; LatestOffset never goes beyond it afterwards.
  virtual Status PrepareForAvailableNow() = 0;

  /// The end offset of the next batch after `start` (nullopt: from the beginning),
  /// within the source's rate limits when `rate_limited`; nullopt when no new data.
  virtual Result<std::optional<std::string>> LatestOffset(const std::optional<std::string>& start,
                                                          bool rate_limited) = 0;

  /// Reads the data in (start, end] and hands it to `on_batch` in bounded batches.
  /// An error (including one from `on_batch`) stops reading and is returned.
  virtual Status GetBatch(const std::optional<std::string>& start, const std::string& end, int64_t batch_id,
                          const format::BatchCallback& on_batch, SourceBatchStats* stats) = 0;

  /// Called after `commits/<batch_id>` is durable; the source may release state up
  /// to `end`. Must be idempotent (it is called again on restart).
  virtual Status Commit(const std::string& end, int64_t batch_id) = 0;

  /// Data known but not yet in a batch.
  virtual SourceBacklog Backlog() const = 0;
};

}  // namespace tributary::streaming
