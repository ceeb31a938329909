#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/append_transaction.h"
#include "tributary/delta/snapshot.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// The version of this engine in commitInfo.engineInfo.
inline constexpr std::string_view kEngineInfo = "Tributary/0.1.0";

/// Where the data file named by an `add.path` / `remove.path` URI lives: the path is
/// percent-decoded; relative paths are joined to `table_path`; absolute paths and
/// `file:` URIs are used as they are.
/// Errors: Invalid for a malformed %-escape; NotImplemented for another URI scheme
/// (s3://, abfss://, ...), naming it.
Result<std::string> DataFilePath(std::string_view table_path, std::string_view add_path);

/// A Delta table at a path, with the snapshot last read. Not thread-safe: give each
/// thread its own Table (several Tables, in one process or many, may write to the same
/// path; commits are optimistic and atomic).
class Table {
 public:
  /// Opens the table at `path` and replays its log.
  /// Errors: NotFound when there is no table at `path` (path missing, or an empty
  /// directory); Invalid "'<path>' exists but is not a Delta table (no _delta_log)" when
  /// the path holds other files; Corruption for an unreadable log (naming the file);
  /// NotImplemented when only a Parquet checkpoint holds the early state.
  static Result<std::unique_ptr<Table>> Open(std::shared_ptr<io::FileSystem> fs, std::string path);

  /// Creates version 0 (commitInfo CREATE TABLE, protocol, metaData with a new id, the
  /// schema, partition columns and properties). If another writer created the table
  /// first (or it exists already), opens it instead.
  /// Errors: Invalid for an unknown or nested partition column, duplicate column names,
  /// or a path holding non-Delta files; as Open.
  static Result<std::unique_ptr<Table>> Create(std::shared_ptr<io::FileSystem> fs,
                                               std::string path, const columnar::Schema& schema,
                                               std::vector<std::string> partition_columns,
                                               std::map<std::string, std::string> configuration);

  /// The snapshot last read (by Open, Refresh, or this Table's last commit).
  const Snapshot& snapshot() const { return *snapshot_; }
  std::shared_ptr<const Snapshot> snapshot_ptr() const { return snapshot_; }
  /// Reads commits made since the current snapshot.
  Status Refresh();
  const std::string& path() const { return path_; }
  io::FileSystem& fs() const { return *fs_; }
  const std::shared_ptr<io::FileSystem>& fs_ptr() const { return fs_; }

  /// A new append reading at the current snapshot.
  /// Errors: NotImplemented when the table's protocol needs a feature this writer
  /// lacks; Invalid when options.partition_by differs from the table's partitioning.
  Result<std::unique_ptr<AppendTransaction>> NewAppend(AppendOptions options);

 private:
  friend Status FinishCommit(Table& table, const Snapshot& read_snapshot,
                             const std::vector<std::vector<Action>>& winners, int64_t version,
                             const std::vector<Action>& ours);
  Table(std::shared_ptr<io::FileSystem> fs, std::string path,
        std::shared_ptr<const Snapshot> snapshot)
      : fs_(std::move(fs)), path_(std::move(path)), snapshot_(std::move(snapshot)) {}

  /// Adopts `snapshot` when it is newer than the current one.
  void Advance(std::shared_ptr<const Snapshot> snapshot);

  std::shared_ptr<io::FileSystem> fs_;
  std::string path_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace tributary::delta
