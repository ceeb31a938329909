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

/// Versions found in a `_delta_log` listing.
struct LogListing {
  std::vector<int64_t> commits;      // ascending
  std::vector<int64_t> checkpoints;  // ascending, any checkpoint kind
  /// Every checkpoint file name (no directory) by version, in name order.
  std::map<int64_t, std::vector<std::string>> checkpoint_files;
};

/// Lists `<table_path>/_delta_log`. Errors: NotFound when the directory is missing.
Result<LogListing> ListLog(io::FileSystem& fs, const std::string& table_path);

/// Replays the log of the table at `table_path` up to `max_version` (latest when
/// nullopt): from the newest complete classic checkpoint at or before that version
/// (single-file or multi-part), then the JSON commits after it; from version 0 when
/// there is none.
/// Errors: NotFound when `_delta_log` is missing or holds no commit or checkpoint;
/// Corruption naming the missing or unreadable commit or checkpoint file;
/// NotImplemented naming the feature when only a V2 checkpoint holds the early state.
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
