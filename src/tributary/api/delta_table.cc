#include "tributary/api/delta_table.h"

#include "tributary/api/schema_text.h"
#include "tributary/base/log.h"
#include "tributary/catalog/table_name.h"
#include "tributary/delta/merge/merge.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"

namespace tributary {

namespace {

Result<std::unique_ptr<delta::Table>> OpenTable(const std::string& path) {
  auto table = delta::Table::Open(io::LocalFileSystem(), path);
  if (!table.ok() && table.status().IsNotFound()) {
    return Status::NotFound("'{}' is not a Delta table (DELTA_MISSING_DELTA_TABLE): create it first, e.g. with "
                            "DeltaTable::createIfNotExists or a streaming query's toTable()",
                            path);
  }
  return table;
}

}  // namespace

DeltaTable DeltaTable::forName(const Session& session, std::string_view name) {
  Result<std::string> path = catalog::ResolveTablePath(session.warehouse(), name);
  if (!path.ok()) return DeltaTable(session, std::string(name), path.status().WithContext("DeltaTable::forName"));
  DeltaTable table(session, io::AbsolutePath(*path), Status::OK());
  if (Result<catalog::TableName> parsed = catalog::ParseTableName(name); parsed.ok()) table.name_ = parsed->ToString();
  return table;
}

DeltaTable DeltaTable::forPath(const Session& session, std::string_view path) {
  if (path.empty()) return DeltaTable(session, "", Status::Invalid("DeltaTable::forPath needs a path"));
  return DeltaTable(session, session.ResolvePath(path), Status::OK());
}

Result<DeltaTable> DeltaTable::createIfNotExists(const Session& session, std::string_view name,
                                                 std::string_view schema, const std::vector<std::string>& partition_by) {
  DeltaTable table = forName(session, name);
  TRIB_RETURN_NOT_OK(table.status());
  TRIB_ASSIGN_OR_RETURN(columnar::Schema parsed, ParseSchemaText(schema));
  TRIB_RETURN_NOT_OK(delta::Table::Create(io::LocalFileSystem(), table.path_, parsed, partition_by, {}).status());
  return table;
}

DeltaTable DeltaTable::alias(std::string_view name) const {
  DeltaTable out = *this;
  out.alias_ = std::string(name);
  return out;
}

DeltaMergeBuilder DeltaTable::merge(const DataFrame& source, std::string_view condition) const {
  return DeltaMergeBuilder(*this, source, std::string(condition));
}

Result<DataFrame> DeltaTable::toDF() const { return toDF(delta::TimeTravelSpec{}); }

Result<DataFrame> DeltaTable::toDF(const delta::TimeTravelSpec& as_of) const {
  TRIB_RETURN_NOT_OK(status_);
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(path_));
  TRIB_ASSIGN_OR_RETURN(std::shared_ptr<const delta::Snapshot> snapshot,
                        delta::LoadSnapshotAsOf(table->fs(), table->path(), table->snapshot_ptr(), as_of));
  std::vector<columnar::RecordBatchPtr> batches;
  TRIB_RETURN_NOT_OK(delta::ScanTable(table->fs_ptr(), table->path(), *snapshot, delta::ScanOptions{},
                                      [&](columnar::RecordBatchPtr batch) {
                                        batches.push_back(std::move(batch));
                                        return Status::OK();
                                      }));
  return DataFrame::FromBatches(session_, std::make_shared<columnar::Schema>(snapshot->schema()),
                                std::move(batches));
}

Result<std::vector<delta::HistoryEntry>> DeltaTable::history(int64_t limit) const {
  TRIB_RETURN_NOT_OK(status_);
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(path_));
  return delta::ReadHistory(table->fs(), table->path(), table->snapshot(), limit);
}

Result<delta::TableDetail> DeltaTable::detail() const {
  TRIB_RETURN_NOT_OK(status_);
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(path_));
  TRIB_ASSIGN_OR_RETURN(delta::TableDetail detail, delta::DescribeDetail(table->fs(), table->path(), table->snapshot()));
  if (!name_.empty()) detail.name = name_;
  return detail;
}

Result<int64_t> DeltaTable::version() const {
  TRIB_RETURN_NOT_OK(status_);
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(path_));
  return table->snapshot().version();
}

Result<delta::RestoreMetrics> DeltaTable::restoreToVersion(int64_t version) const {
  TRIB_RETURN_NOT_OK(status_);
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(path_));
  return delta::RestoreTable(*table, delta::TimeTravelSpec{version, std::nullopt});
}

Result<delta::RestoreMetrics> DeltaTable::restoreToTimestamp(std::string_view timestamp) const {
  TRIB_RETURN_NOT_OK(status_);
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(path_));
  return delta::RestoreTable(*table, delta::TimeTravelSpec{std::nullopt, std::string(timestamp)});
}

DeltaMergeBuilder& DeltaMergeBuilder::Add(int kind, std::optional<std::string_view> condition,
                                          Assignments assignments) {
  Clause clause;
  clause.kind = kind;
  if (condition) clause.condition = std::string(*condition);
  clause.assignments = std::move(assignments);
  clauses_.push_back(std::move(clause));
  return *this;
}

using Kind = delta::MergeClause::Kind;

DeltaMergeBuilder& DeltaMergeBuilder::whenMatchedUpdate(const Assignments& set) {
  return Add(static_cast<int>(Kind::kMatchedUpdate), std::nullopt, set);
}
DeltaMergeBuilder& DeltaMergeBuilder::whenMatchedUpdate(std::string_view condition, const Assignments& set) {
  return Add(static_cast<int>(Kind::kMatchedUpdate), condition, set);
}
DeltaMergeBuilder& DeltaMergeBuilder::whenMatchedUpdateAll() {
  return Add(static_cast<int>(Kind::kMatchedUpdateAll), std::nullopt, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenMatchedUpdateAll(std::string_view condition) {
  return Add(static_cast<int>(Kind::kMatchedUpdateAll), condition, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenMatchedDelete() {
  return Add(static_cast<int>(Kind::kMatchedDelete), std::nullopt, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenMatchedDelete(std::string_view condition) {
  return Add(static_cast<int>(Kind::kMatchedDelete), condition, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedInsert(const Assignments& values) {
  return Add(static_cast<int>(Kind::kNotMatchedInsert), std::nullopt, values);
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedInsert(std::string_view condition, const Assignments& values) {
  return Add(static_cast<int>(Kind::kNotMatchedInsert), condition, values);
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedInsertAll() {
  return Add(static_cast<int>(Kind::kNotMatchedInsertAll), std::nullopt, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedInsertAll(std::string_view condition) {
  return Add(static_cast<int>(Kind::kNotMatchedInsertAll), condition, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedBySourceUpdate(const Assignments& set) {
  return Add(static_cast<int>(Kind::kNotMatchedBySourceUpdate), std::nullopt, set);
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedBySourceUpdate(std::string_view condition,
                                                                   const Assignments& set) {
  return Add(static_cast<int>(Kind::kNotMatchedBySourceUpdate), condition, set);
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedBySourceDelete() {
  return Add(static_cast<int>(Kind::kNotMatchedBySourceDelete), std::nullopt, {});
}
DeltaMergeBuilder& DeltaMergeBuilder::whenNotMatchedBySourceDelete(std::string_view condition) {
  return Add(static_cast<int>(Kind::kNotMatchedBySourceDelete), condition, {});
}

MergeOutcome DeltaMergeBuilder::execute() {
  const std::shared_ptr<MicroBatchContext>& micro_batch = source_.micro_batch();
  auto run = [&]() -> Result<MergeResult> {
    TRIB_RETURN_NOT_OK(table_.status());
    TRIB_RETURN_NOT_OK(source_.status());
    if (clauses_.empty()) {
      return Status::Invalid("merge() needs at least one whenMatched / whenNotMatched / whenNotMatchedBySource clause");
    }
    TRIB_ASSIGN_OR_RETURN(columnar::Schema source_schema, source_.schema());
    TRIB_ASSIGN_OR_RETURN(std::vector<columnar::RecordBatchPtr> rows, source_.batches());
    TRIB_ASSIGN_OR_RETURN(std::unique_ptr<delta::Table> table, OpenTable(table_.path_));

    delta::MergeSpec spec;
    spec.target_alias = table_.alias_.empty() ? "target" : table_.alias_;
    spec.source_alias = source_.alias_name().empty() ? "source" : source_.alias_name();
    spec.condition = condition_;
    for (const Clause& clause : clauses_) {
      delta::MergeClause out;
      out.kind = static_cast<Kind>(clause.kind);
      out.condition = clause.condition;
      for (const auto& [column, value] : clause.assignments) out.assignments.emplace_back(column, value);
      spec.clauses.push_back(std::move(out));
    }
    if (micro_batch) {
      std::lock_guard<std::mutex> lock(micro_batch->mutex);
      if (micro_batch->finished) {
        return Status::Invalid("MERGE of micro-batch {} after its foreachBatch function returned: its outcome "
                               "could no longer fail the batch; finish every write before returning",
                               micro_batch->batch_id);
      }
      if (!micro_batch->first_error.ok()) {
        return Status::Cancelled("an earlier write of micro-batch {} failed ({}); later writes of the batch are "
                               "refused so that a re-run applies them in the same order",
                               micro_batch->batch_id, micro_batch->first_error.message());
      }
      // Numbered by the table's id, so two spellings of one table count as one.
      int n = micro_batch->writes_per_table[table->snapshot().table_id()]++;
      std::string app_id = n == 0 ? micro_batch->query_id : micro_batch->query_id + "#" + std::to_string(n);
      spec.txn = delta::Txn{app_id, micro_batch->batch_id};
    }
    TRIB_ASSIGN_OR_RETURN(delta::MergeMetrics metrics,
                          delta::ExecuteMerge(*table, source_schema, rows, spec));
    MergeResult result;
    result.num_source_rows = metrics.num_source_rows;
    result.num_target_rows_inserted = metrics.num_target_rows_inserted;
    result.num_target_rows_updated = metrics.num_target_rows_updated;
    result.num_target_rows_deleted = metrics.num_target_rows_deleted;
    result.num_target_rows_copied = metrics.num_target_rows_copied;
    result.num_target_files_added = metrics.num_target_files_added;
    result.num_target_files_removed = metrics.num_target_files_removed;
    result.version = metrics.version;
    result.skipped = metrics.skipped;
    return result;
  };
  Result<MergeResult> result = run();
  if (!result.ok()) {
    log::Error("MERGE into {} failed: {}", table_.path_, result.status().ToString());
    if (micro_batch) {
      std::lock_guard<std::mutex> lock(micro_batch->mutex);
      if (micro_batch->first_error.ok() && !micro_batch->finished) {
        micro_batch->first_error = result.status().WithContext("MERGE into " + table_.path_);
      }
    }
  }
  return MergeOutcome(std::move(result));
}

}  // namespace tributary
