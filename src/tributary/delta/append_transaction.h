#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/delta/actions.h"
#include "tributary/delta/snapshot.h"
#include "tributary/delta/stats.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::delta {

class Table;
struct CommitOperation;

/// The streaming idempotency marker committed with a batch (reference A11): the
/// application (a streaming query id) and its batch id.
struct Txn {
  std::string app_id;
  int64_t version = 0;
};

/// How an append writes.
struct AppendOptions {
  /// Partition columns. Empty: follow the table. Otherwise they must equal the
  /// table's partitioning (Invalid naming both).
  std::vector<std::string> partition_by;
  /// Spark's mergeSchema: add the data's new columns to the table with a new metaData.
  bool merge_schema = false;
  /// Parquet encoding (compression etc.).
  parquet::WriterOptions parquet;
  /// A data file is closed once its estimated size reaches this many bytes.
  int64_t target_file_size = 128 << 20;
  /// Spark's outputMode, recorded in commitInfo for streaming commits.
  std::string output_mode = "Append";
};

/// One blind append to a table: Write() batches as Parquet data files, then Commit()
/// them atomically. Reads at the snapshot the table had when the transaction began.
/// Not thread-safe; the Table must outlive it. A transaction that is never committed
/// leaves unreferenced data files behind (harmless; VACUUM removes them).
class AppendTransaction {
 public:
  ~AppendTransaction();

  /// Writes the rows of `batch` into data files under Hive-style partition directories
  /// (`col=value/`, `__HIVE_DEFAULT_PARTITION__` for null), rolling files at
  /// target_file_size, and collects their stats. Columns are matched by name ignoring
  /// case; missing ones are written as nulls.
  /// Errors: Invalid for new columns without merge_schema, type changes, nulls in NOT NULL
  /// columns (all naming the table and column); IOError from storage.
  Status Write(const columnar::RecordBatch& batch);

  /// Commits the written files, the new metaData when the schema evolved, and `txn`
  /// as the next table version through a Transaction (a blind append: it read nothing,
  /// so it is retried over any concurrent commit that only adds or removes files),
  /// with commitInfo operation "STREAMING UPDATE" (with `txn`) or "WRITE".
  /// Writes a checkpoint when the version is a multiple of delta.checkpointInterval.
  /// Returns the committed version.
  /// Errors: AlreadyExists when the table already records `txn.app_id` at a version >=
  /// `txn.version` (the batch was committed before; nothing was committed now);
  /// Conflict when a concurrent commit changed the metadata or protocol, recorded
  /// `txn.app_id` at a lower version (the query runs twice), or retries ran out;
  /// IOError from storage. A transaction commits at most once (Invalid after).
  Result<int64_t> Commit(std::optional<Txn> txn);

  /// Closes the open data files and returns the add actions of every file written so
  /// far, for a Transaction that commits them together with other actions (the
  /// append itself is then not committed). Errors: IOError from storage.
  Result<std::vector<AddFile>> CloseFiles();
  /// The metaData / protocol the written data needs (merge_schema added columns).
  const std::optional<Metadata>& new_metadata() const { return new_metadata_; }
  const std::optional<Protocol>& new_protocol() const { return new_protocol_; }
  int64_t num_output_bytes() const { return num_output_bytes_; }

  int64_t num_output_rows() const { return num_output_rows_; }
  int64_t num_files() const { return static_cast<int64_t>(adds_.size()) + static_cast<int64_t>(open_files_.size()); }
  /// The schema the files are written with (the table's, plus merged new columns).
  const columnar::Schema& write_schema() const { return write_schema_; }
  /// The snapshot this transaction reads at.
  const Snapshot& read_snapshot() const { return *read_snapshot_; }

 private:
  friend class Table;
  struct OpenFile;

  AppendTransaction(Table* table, std::shared_ptr<const Snapshot> snapshot, AppendOptions options);

  Status CloseFile(OpenFile* file);
  Status CloseAllFiles();
  Result<OpenFile*> FileFor(const std::vector<std::optional<std::string>>& values);
  /// The commitInfo of this append, as Spark writes it: a streaming batch (with a txn)
  /// or a plain write; a blind append either way.
  CommitOperation Operation(const std::optional<Txn>& txn) const;

  Table* table_;
  std::shared_ptr<const Snapshot> read_snapshot_;
  AppendOptions options_;
  columnar::Schema write_schema_;
  columnar::Schema data_schema_;  // write_schema_ without partition columns
  std::vector<int> partition_indices_;
  std::vector<int> data_indices_;
  std::optional<Metadata> new_metadata_;
  std::optional<Protocol> new_protocol_;
  StatsOptions stats_options_;
  std::map<std::string, std::unique_ptr<OpenFile>> open_files_;
  std::vector<AddFile> adds_;
  int64_t num_output_rows_ = 0;
  int64_t num_output_bytes_ = 0;
  int file_counter_ = 0;
  bool committed_ = false;
};

}  // namespace tributary::delta
