#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/api/data_frame.h"
#include "tributary/api/session.h"
#include "tributary/base/result.h"
#include "tributary/delta/history.h"
#include "tributary/delta/restore.h"
#include "tributary/delta/table_detail.h"
#include "tributary/delta/time_travel.h"

namespace tributary {

/// What a MERGE did (Delta's operationMetrics of its commit).
struct MergeResult {
  int64_t num_source_rows = 0;
  int64_t num_target_rows_inserted = 0;
  int64_t num_target_rows_updated = 0;
  int64_t num_target_rows_deleted = 0;
  int64_t num_target_rows_copied = 0;
  int64_t num_target_files_added = 0;
  int64_t num_target_files_removed = 0;
  /// The table version the merge committed, or the version already holding it.
  int64_t version = -1;
  /// True when the table already held this write (same txn app id and version: a
  /// micro-batch re-run after a crash), so nothing was changed.
  bool skipped = false;
};

class DeltaMergeBuilder;

/// What execute() returns: a Result<MergeResult> that may be ignored (it is not
/// [[nodiscard]], so the seed's `...execute();` reads as in PySpark). Inside
/// foreachBatch an error also fails the micro-batch; outside, an error is logged
/// when it happens, and callers should check it.
class MergeOutcome : public Result<MergeResult> {
 public:
  using Result<MergeResult>::Result;
  MergeOutcome(Result<MergeResult> result) : Result<MergeResult>(std::move(result)) {}  // NOLINT
};

/// Delta Lake's `DeltaTable` (delta-spark's Python API, same names): a handle on a
/// table by name or path, for MERGE and for reading it back.
class DeltaTable {
 public:
  /// The table `catalog.schema.table` under the session's warehouse. Whether it exists
  /// is checked when it is used (Spark checks at once; the error is the same).
  static DeltaTable forName(const Session& session, std::string_view name);
  /// The table at `path` (resolved against the session's base directory).
  static DeltaTable forPath(const Session& session, std::string_view path);
  /// Creates the table `name` with `schema` (DDL, "id STRING, n INT") and partition
  /// columns when it does not exist; an existing table is left as it is.
  static Result<DeltaTable> createIfNotExists(const Session& session, std::string_view name, std::string_view schema,
                                              const std::vector<std::string>& partition_by = {});

  /// Names the table in merge conditions (`t.id = s.id`). Without aliases the
  /// conditions name columns bare, or as `target.` and `source.`.
  DeltaTable alias(std::string_view name) const;
  /// Starts a MERGE of `source` (its alias() names it in conditions) on `condition`.
  DeltaMergeBuilder merge(const DataFrame& source, std::string_view condition) const;
  /// The table's current rows, as a batch DataFrame.
  Result<DataFrame> toDF() const;
  /// The rows at the version `as_of` names (what session.read()'s versionAsOf and
  /// timestampAsOf options do). Errors: see delta::LoadSnapshotAsOf.
  Result<DataFrame> toDF(const delta::TimeTravelSpec& as_of) const;
  /// The table's latest version.
  Result<int64_t> version() const;

  /// DESCRIBE HISTORY: the newest `limit` commits (all when 0 or less), newest first.
  /// (PySpark returns a DataFrame; here each entry holds the version, the commit
  /// timestamp and the commitInfo JSON with operation, operationParameters, ...)
  Result<std::vector<delta::HistoryEntry>> history(int64_t limit = 0) const;
  /// DESCRIBE DETAIL of the latest version, with the schema.
  Result<delta::TableDetail> detail() const;
  /// RESTORE TABLE ... TO VERSION AS OF `version`: one commit that makes the table's
  /// files and metadata those of `version` (see delta::RestoreTable). Returns Delta's
  /// metrics (PySpark returns them as a one-row DataFrame).
  Result<delta::RestoreMetrics> restoreToVersion(int64_t version) const;
  /// RESTORE TABLE ... TO TIMESTAMP AS OF `timestamp` (Spark timestamp text, UTC when
  /// it has no zone): the version current at that time.
  Result<delta::RestoreMetrics> restoreToTimestamp(std::string_view timestamp) const;

  const std::string& path() const { return path_; }
  /// "catalog.schema.table" for forName, empty for forPath.
  const std::string& name() const { return name_; }
  const Status& status() const { return status_; }

 private:
  DeltaTable(Session session, std::string path, Status status)
      : session_(std::move(session)), path_(std::move(path)), status_(std::move(status)) {}

  friend class DeltaMergeBuilder;
  Session session_;
  std::string path_;
  std::string name_;
  std::string alias_;
  Status status_;
};

/// The clauses of a MERGE, in order (Delta's rules: clauses of one kind are tried in
/// order and the first whose condition holds applies; only the last of each kind may
/// omit its condition). Assignments map a target column to a SQL expression over
/// both aliases ("s.amount + t.amount").
///
/// Inside foreachBatch, execute() makes the MERGE idempotent on its own: the commit
/// carries txn(appId = query id, version = batch id), and a batch re-run after a crash
/// finds it and changes nothing. The n-th write to one table (by table id) in a batch
/// uses app id "<query id>#n", so writes to one table must run in the same order on
/// every run of the batch: one after the other, not in parallel. Its error is also
/// recorded on the micro-batch, so the batch fails even if the function ignores the
/// returned status, and every later write in that batch fails without committing (a
/// retry inside the function would shift the numbering; the batch is retried instead).
class DeltaMergeBuilder {
 public:
  using Assignments = std::map<std::string, std::string>;

  DeltaMergeBuilder& whenMatchedUpdate(const Assignments& set);
  DeltaMergeBuilder& whenMatchedUpdate(std::string_view condition, const Assignments& set);
  DeltaMergeBuilder& whenMatchedUpdateAll();
  DeltaMergeBuilder& whenMatchedUpdateAll(std::string_view condition);
  DeltaMergeBuilder& whenMatchedDelete();
  DeltaMergeBuilder& whenMatchedDelete(std::string_view condition);
  DeltaMergeBuilder& whenNotMatchedInsert(const Assignments& values);
  DeltaMergeBuilder& whenNotMatchedInsert(std::string_view condition, const Assignments& values);
  DeltaMergeBuilder& whenNotMatchedInsertAll();
  DeltaMergeBuilder& whenNotMatchedInsertAll(std::string_view condition);
  DeltaMergeBuilder& whenNotMatchedBySourceUpdate(const Assignments& set);
  DeltaMergeBuilder& whenNotMatchedBySourceUpdate(std::string_view condition, const Assignments& set);
  DeltaMergeBuilder& whenNotMatchedBySourceDelete();
  DeltaMergeBuilder& whenNotMatchedBySourceDelete(std::string_view condition);

  /// Runs the MERGE as one Delta commit.
  MergeOutcome execute();

 private:
  friend class DeltaTable;
  struct Clause {
    int kind;
    std::optional<std::string> condition;
    Assignments assignments;
  };
  DeltaMergeBuilder(DeltaTable table, DataFrame source, std::string condition)
      : table_(std::move(table)), source_(std::move(source)), condition_(std::move(condition)) {}
  DeltaMergeBuilder& Add(int kind, std::optional<std::string_view> condition, Assignments assignments);

  DeltaTable table_;
  DataFrame source_;
  std::string condition_;
  std::vector<Clause> clauses_;
};

}  // namespace tributary
