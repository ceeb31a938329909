#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/actions.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// The immutable state of a table at one version, from log replay. Thread-safe to read.
class Snapshot {
 public:
  int64_t version() const { return version_; }
  const Protocol& protocol() const { return protocol_; }
  const Metadata& metadata() const { return metadata_; }
  /// The table schema parsed from metaData.schemaString.
  const columnar::Schema& schema() const { return schema_; }
  const std::vector<std::string>& partition_columns() const { return metadata_.partition_columns; }
  const std::map<std::string, std::string>& configuration() const { return metadata_.configuration; }
  const std::string& table_id() const { return metadata_.id; }

  /// The latest txn.version recorded for `app_id`, or nullopt.
  std::optional<int64_t> TxnVersion(std::string_view app_id) const;
  const std::map<std::string, SetTransaction, std::less<>>& transactions() const {
    return transactions_;
  }

  /// The live data files, in path order. A file with a deletion vector
  /// (deletion_vector_id not empty) has rows deleted that this engine does not read yet.
  const std::vector<AddFile>& files() const { return files_; }
  /// Tombstones (remove actions) of files not re-added.
  const std::vector<RemoveFile>& tombstones() const { return tombstones_; }
  /// Sum of the files' stats numRecords (files without stats count zero).
  int64_t num_records() const { return num_records_; }
  /// False when some file has no numRecords in its stats.
  bool num_records_exact() const { return num_records_exact_; }
  /// Action kinds seen that this engine does not model (e.g. "domainMetadata"),
  /// which a writer must not drop from checkpoints.
  const std::vector<std::string>& unmodelled_action_kinds() const { return other_kinds_; }

  /// The inCommitTimestamp of the commit at version(), when it has one.
  std::optional<int64_t> in_commit_timestamp() const { return in_commit_timestamp_; }

  /// A table property, or `fallback`.
  std::string Property(std::string_view key, std::string_view fallback) const;

 private:
  friend class SnapshotBuilder;

  int64_t version_ = -1;
  Protocol protocol_;
  Metadata metadata_;
  columnar::Schema schema_;
  std::map<std::string, SetTransaction, std::less<>> transactions_;
  std::map<std::string, AddFile> files_by_key_;
  std::map<std::string, RemoveFile> tombstones_by_key_;
  std::vector<AddFile> files_;
  std::vector<RemoveFile> tombstones_;
  std::vector<std::string> other_kinds_;
  std::optional<int64_t> in_commit_timestamp_;
  int64_t num_records_ = 0;
  bool num_records_exact_ = true;
};

/// Applies commits, in version order, to build the next snapshot. Not thread-safe.
class SnapshotBuilder {
 public:
  /// Starts from an empty table (before version 0).
  SnapshotBuilder();
  /// Starts from `base`, to apply the commits after it.
  explicit SnapshotBuilder(const Snapshot& base);

  /// Applies commit `version`, read from `source` (named in errors).
  /// Errors: Corruption when `version` does not follow the last one applied, or the
  /// commit holds two metaData/protocol actions.
  Status Apply(int64_t version, const std::vector<Action>& actions, std::string_view source);

  /// Starts an empty builder from the checkpoint of `version` (its actions).
  /// Errors: Invalid when commits were applied already; as Apply.
  Status ApplyCheckpoint(int64_t version, const std::vector<Action>& actions,
                         std::string_view source);

  /// Applies a log compaction file: the reconciled actions of commits [first, last]
  /// (no commitInfo, so in_commit_timestamp() is unset after it). Errors: as Apply.
  Status ApplyCompaction(int64_t first, int64_t last, const std::vector<Action>& actions,
                         std::string_view source);

  /// Errors: Corruption naming `table_path` when no protocol or metaData was seen, or
  /// the schema string does not parse.
  Result<std::shared_ptr<const Snapshot>> Finish(std::string_view table_path);

 private:
  std::unique_ptr<Snapshot> state_;
  std::shared_ptr<const Snapshot> last_;  // the last result while state_ is empty
  bool has_protocol_ = false;
  bool has_metadata_ = false;
  bool metadata_changed_ = true;
};

/// What a file name in `_delta_log` is (no directory part).
struct LogFileName {
  enum class Kind { kCommit, kCheckpoint, kCompaction, kChecksum };
  Kind kind = Kind::kCommit;
  int64_t version = -1;
  /// The last version of a compaction file `<version>.<end_version>.compacted.json`;
  /// `version` otherwise.
  int64_t end_version = -1;
};

/// Parses `<v>.json`, `<v>.checkpoint[...]`, `<x>.<y>.compacted.json` and `<v>.crc`
/// (20-digit versions); nullopt for anything else (_last_checkpoint, temporary files,
/// Hadoop's `.<name>.crc` side files).
std::optional<LogFileName> ParseLogFileName(std::string_view name);

/// Versions found in a `_delta_log` listing. `.crc` files are not listed: they are
/// optional summaries, and nothing here validates against them.
struct LogListing {
  std::vector<int64_t> commits;      // ascending
  std::vector<int64_t> checkpoints;  // ascending, any checkpoint kind
  /// Every checkpoint file name (no directory) by version, in name order.
  std::map<int64_t, std::vector<std::string>> checkpoint_files;
  /// Log compaction files: first version -> last versions covered, ascending.
  std::map<int64_t, std::vector<int64_t>> compactions;
};

/// Lists `<table_path>/_delta_log`, keeping only files of versions >= `from_version`
/// (what a start-after listing of an object store would return).
/// Errors: NotFound when the directory is missing.
Result<LogListing> ListLog(io::FileSystem& fs, const std::string& table_path,
                           int64_t from_version = 0);

/// Replays the log of the table at `table_path` up to `max_version` (latest when
/// nullopt). Finds the newest checkpoint through `_delta_log/_last_checkpoint`, falling
/// back to the whole listing when that file is missing, unparsable (a torn write) or
/// points at a checkpoint that is gone or incomplete. Reads the newest complete
/// checkpoint at or before the version: classic, multi-part, or V2 (UUID-named JSON or
/// Parquet, or classic-named, with sidecars in `_delta_log/_sidecars/`); an unreadable
/// one is skipped for an older one (warning). Then the commits after it, taking a log
/// compaction file `<x>.<y>.compacted.json` for a run of commits when one starts where
/// replay is and ends before the last version (that commit is read itself, for its
/// commitInfo). From version 0 when no checkpoint is usable.
/// Reads only `_last_checkpoint`, the checkpoint (and its sidecars) and the log tail.
/// Errors: NotFound when `_delta_log` is missing or holds no commit or checkpoint, or
/// `max_version` is beyond the latest or was removed by log cleanup (naming the
/// version and the earliest one that can be loaded); Corruption naming the missing or
/// unreadable commit or checkpoint file.
Result<std::shared_ptr<const Snapshot>> LoadSnapshot(io::FileSystem& fs,
                                                     const std::string& table_path,
                                                     std::optional<int64_t> max_version);

/// Applies the commits after `base` (up to the latest) to it. Same errors as
/// LoadSnapshot. Returns `base` itself when nothing new was committed.
Result<std::shared_ptr<const Snapshot>> UpdateSnapshot(io::FileSystem& fs,
                                                       const std::string& table_path,
                                                       std::shared_ptr<const Snapshot> base);

/// Reads and parses commit `version`. Errors: NotFound when it does not exist,
/// Corruption naming the file when it does not parse.
Result<std::vector<Action>> ReadCommit(io::FileSystem& fs, const std::string& table_path,
                                       int64_t version);

}  // namespace tributary::delta
