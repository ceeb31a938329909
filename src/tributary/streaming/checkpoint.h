#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/io/file_system.h"

namespace tributary::streaming {

/// The parsed content of `offsets/<batchId>` (Spark's OffsetSeq).
struct OffsetEntry {
  int64_t batch_id = 0;
  int64_t batch_watermark_ms = 0;
  int64_t batch_timestamp_ms = 0;
  /// One JSON text per source, in source order.
  std::vector<std::string> source_offsets;
};

/// What a checkpoint says about where a query stands.
struct RecoveredState {
  /// Latest batch with an offsets file, if any.
  std::optional<OffsetEntry> latest_offsets;
  /// Offsets of the batch before latest_offsets (the start of its range), if any.
  std::optional<OffsetEntry> previous_offsets;
  /// Latest batch with a commits file, if any.
  std::optional<int64_t> latest_commit;

  /// True when latest_offsets exists without its commit: that batch must be re-run
  /// with exactly its recorded range.
  bool HasUncommittedBatch() const {
    return latest_offsets && (!latest_commit || *latest_commit < latest_offsets->batch_id);
  }
  /// The id of the batch to construct next (after any re-run).
  int64_t NextBatchId() const { return latest_offsets ? latest_offsets->batch_id + 1 : 0; }
};

/// Spark's checkpoint directory for one query:
///   <dir>/metadata            {"id":"<uuid>"}
///   <dir>/offsets/<batchId>   v1, OffsetSeqMetadata JSON, one offset JSON per source
///   <dir>/commits/<batchId>   v1, {"nextBatchWatermarkMs":0}
///   <dir>/sources/<n>/        source-owned state
/// Files are created with put-if-absent, so two queries sharing a checkpoint cannot
/// both write a batch. Every read error names the file; unreadable or inconsistent
/// logs are Corruption. Not thread-safe (the query thread owns it).
class Checkpoint {
 public:
  /// Opens `dir`, creating it and its metadata (a new query id) when absent.
  static Result<std::unique_ptr<Checkpoint>> Open(std::shared_ptr<io::FileSystem> fs, std::string dir);

  const std::string& dir() const { return dir_; }
  /// The persistent query id from `metadata`.
  const std::string& query_id() const { return query_id_; }
  /// "<dir>/sources/<index>".
  std::string SourceDir(int index) const;

  /// Reads offsets and commits and checks they agree: commits only for batches with
  /// offsets, at most one uncommitted batch (the latest), and the offsets of the batch
  /// before an uncommitted one present. Anything else is Corruption naming a file.
  Result<RecoveredState> Recover() const;

  /// Writes `offsets/<batch_id>` (the write-ahead log). AlreadyExists becomes a
  /// Conflict saying another query uses this checkpoint.
  Status WriteOffsets(const OffsetEntry& entry);
  /// Writes `commits/<batch_id>`.
  Status WriteCommit(int64_t batch_id);
  Result<OffsetEntry> ReadOffsets(int64_t batch_id) const;

  /// Deletes offsets and commits of batches below `latest_batch_id + 1 - min_batches_to_retain`.
  Status Purge(int64_t latest_batch_id, int64_t min_batches_to_retain);

  /// Batch ids that have a file in `offsets/` or `commits/` (`log` is "offsets" or
  /// "commits"), ascending. Hidden names (temporary files) are ignored.
  Result<std::vector<int64_t>> ListBatches(const std::string& log) const;

 private:
  Checkpoint(std::shared_ptr<io::FileSystem> fs, std::string dir, std::string query_id)
      : fs_(std::move(fs)), dir_(std::move(dir)), query_id_(std::move(query_id)) {}

  std::shared_ptr<io::FileSystem> fs_;
  std::string dir_;
  std::string query_id_;
};

/// Serializes an offsets file: "v1\n<metadata>\n<offset>...".
std::string SerializeOffsets(const OffsetEntry& entry);
/// Parses an offsets file; `path` names it in errors (Corruption).
/// The sink option `checkpointLocation`, made absolute; every streaming sink needs it.
/// Errors: Invalid saying why it is required when it is missing or empty.
Result<std::string> CheckpointLocationOption(const OptionMap& sink_options);

Result<OffsetEntry> ParseOffsets(std::string_view content, int64_t batch_id, const std::string& path);

}  // namespace tributary::streaming
