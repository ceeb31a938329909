#include "tributary/streaming/query/merge_sink.h"

#include "tributary/base/log.h"
#include "tributary/catalog/table_name.h"
#include "tributary/delta/merge/merge.h"
#include "tributary/delta/table.h"
#include "tributary/expr/expression.h"
#include "tributary/streaming/delta_sink.h"
#include "tributary/streaming/latest_per_key.h"

namespace tributary::streaming {

namespace {

std::string_view ClauseName(MergeClauseSpec::Kind kind) {
  switch (kind) {
    case MergeClauseSpec::Kind::kMatchedUpdate: return "whenMatched update";
    case MergeClauseSpec::Kind::kMatchedDelete: return "whenMatched delete";
    case MergeClauseSpec::Kind::kNotMatchedInsert: return "whenNotMatched insert";
    case MergeClauseSpec::Kind::kNotMatchedBySourceUpdate: return "whenNotMatchedBySource update";
    case MergeClauseSpec::Kind::kNotMatchedBySourceDelete: return "whenNotMatchedBySource delete";
  }
  return "clause";
}

delta::MergeClause ToDeltaClause(const MergeClauseSpec& spec) {
  using K = delta::MergeClause::Kind;
  delta::MergeClause clause;
  switch (spec.kind) {
    case MergeClauseSpec::Kind::kMatchedUpdate: clause.kind = spec.all ? K::kMatchedUpdateAll : K::kMatchedUpdate; break;
    case MergeClauseSpec::Kind::kMatchedDelete: clause.kind = K::kMatchedDelete; break;
    case MergeClauseSpec::Kind::kNotMatchedInsert:
      clause.kind = spec.all ? K::kNotMatchedInsertAll : K::kNotMatchedInsert;
      break;
    case MergeClauseSpec::Kind::kNotMatchedBySourceUpdate: clause.kind = K::kNotMatchedBySourceUpdate; break;
    case MergeClauseSpec::Kind::kNotMatchedBySourceDelete: clause.kind = K::kNotMatchedBySourceDelete; break;
  }
  clause.condition = spec.condition;
  clause.assignments = spec.assignments;
  return clause;
}

Result<std::string> TablePath(const std::string& warehouse, const std::string& into) {
  if (into.find('/') != std::string::npos) return io::AbsolutePath(into);
  TRIB_ASSIGN_OR_RETURN(std::string path, catalog::ResolveTablePath(warehouse, into));
  return io::AbsolutePath(path);
}

class MergeSink : public Sink {
 public:
  MergeSink(std::shared_ptr<io::FileSystem> fs, std::string table_path, delta::MergeSpec spec, std::string latest_by,
            std::vector<std::string> keys, delta::AutoCompactOptions auto_compact)
      : fs_(std::move(fs)),
        table_path_(std::move(table_path)),
        spec_(std::move(spec)),
        latest_by_(std::move(latest_by)),
        keys_(std::move(keys)),
        auto_compact_(std::move(auto_compact)) {}

  std::string Description() const override { return "MergeSink[" + table_path_ + "]"; }

  Status AddBatch(const std::string& query_id, int64_t batch_id, const columnar::Schema& schema,
                  const BatchProducer& produce, int64_t* num_output_rows) override {
    if (!table_) {
      auto opened = delta::Table::Open(fs_, table_path_);
      if (opened.ok()) {
        table_ = std::move(*opened);
      } else if (opened.status().IsNotFound()) {
        log::Info("merge target {} does not exist; creating it with the batch's schema", table_path_);
        TRIB_ASSIGN_OR_RETURN(table_, delta::Table::Create(fs_, table_path_, schema, {}, {}));
      } else {
        return opened.status();
      }
    } else {
      TRIB_RETURN_NOT_OK(table_->Refresh());
    }
    if (auto version = table_->snapshot().TxnVersion(query_id); version && *version >= batch_id) {
      log::Info("batch {} already merged into {} (txn version {}); skipped", batch_id, table_path_, *version);
      if (num_output_rows) *num_output_rows = 0;
      return Status::OK();
    }
    std::vector<columnar::RecordBatchPtr> rows;
    TRIB_RETURN_NOT_OK(produce([&](columnar::RecordBatchPtr batch) -> Status {
      rows.push_back(std::move(batch));
      return Status::OK();
    }));
    if (!latest_by_.empty()) {
      TRIB_ASSIGN_OR_RETURN(rows, KeepLatestPerKey(schema, rows, keys_, latest_by_));
    }
    delta::MergeSpec spec = spec_;
    spec.txn = delta::Txn{query_id, batch_id};
    TRIB_ASSIGN_OR_RETURN(delta::MergeMetrics metrics, delta::ExecuteMerge(*table_, schema, rows, spec));
    if (num_output_rows) {
      *num_output_rows = metrics.num_target_rows_inserted + metrics.num_target_rows_updated +
                         metrics.num_target_rows_deleted;
    }
    if (metrics.skipped) return Status::OK();
    return CompactAfterCommit(*table_, metrics.version, auto_compact_);
  }

 private:
  std::shared_ptr<io::FileSystem> fs_;
  std::string table_path_;
  delta::MergeSpec spec_;
  std::string latest_by_;
  std::vector<std::string> keys_;
  delta::AutoCompactOptions auto_compact_;
  std::unique_ptr<delta::Table> table_;
};

}  // namespace

Status ValidateMergeSink(const MergeSinkSpec& spec) {
  if (spec.into.empty()) return Status::Invalid("merge: 'into' (the target table) is required");
  if (spec.into.find('/') == std::string::npos) {
    TRIB_RETURN_NOT_OK(catalog::ParseTableName(spec.into).status().WithContext("merge 'into'"));
  }
  if (!spec.keys.empty() && spec.latest_by.empty()) {
    return Status::Invalid("merge: 'keys' only says which columns 'latestBy' deduplicates on; give latestBy too");
  }
  if (spec.condition.empty()) return Status::Invalid("merge: 'on' (the merge condition) is required");
  if (spec.clauses.empty()) {
    return Status::Invalid("merge: at least one of whenMatched, whenNotMatched, whenNotMatchedBySource is required");
  }
  if (auto parsed = expr::ParseExpression(spec.condition); !parsed.ok()) {
    return Status::Invalid("merge 'on': {}", parsed.status().message());
  }
  for (size_t i = 0; i < spec.clauses.size(); ++i) {
    const MergeClauseSpec& clause = spec.clauses[i];
    std::string where = "merge clause " + std::to_string(i + 1) + " (" + std::string(ClauseName(clause.kind)) + ")";
    if (clause.condition) {
      if (auto parsed = expr::ParseExpression(*clause.condition); !parsed.ok()) {
        return Status::Invalid("{} condition: {}", where, parsed.status().message());
      }
    }
    for (const auto& [column, value] : clause.assignments) {
      if (auto parsed = expr::ParseExpression(value); !parsed.ok()) {
        return Status::Invalid("{} value of '{}': {}", where, column, parsed.status().message());
      }
    }
    bool needs_values = clause.kind == MergeClauseSpec::Kind::kMatchedUpdate ||
                        clause.kind == MergeClauseSpec::Kind::kNotMatchedInsert ||
                        clause.kind == MergeClauseSpec::Kind::kNotMatchedBySourceUpdate;
    if (needs_values && !clause.all && clause.assignments.empty()) {
      return Status::Invalid("{} needs assignments, or \"*\" for all columns", where);
    }
    // Delta: within one kind of clause, only the last may have no condition.
    for (size_t j = i + 1; j < spec.clauses.size() && !clause.condition; ++j) {
      auto group = [](MergeClauseSpec::Kind kind) {
        if (kind == MergeClauseSpec::Kind::kMatchedUpdate || kind == MergeClauseSpec::Kind::kMatchedDelete) return 0;
        if (kind == MergeClauseSpec::Kind::kNotMatchedInsert) return 1;
        return 2;
      };
      if (group(spec.clauses[j].kind) == group(clause.kind)) {
        return Status::Invalid("{} has no condition but is not the last clause of its kind; only the last one may "
                               "omit the condition",
                               where);
      }
    }
  }
  if (!spec.latest_by.empty()) {
    if (auto parsed = expr::ParseExpression(spec.latest_by); !parsed.ok()) {
      return Status::Invalid("merge 'latestBy': {}", parsed.status().message());
    }
    if (spec.keys.empty()) {
      TRIB_RETURN_NOT_OK(MergeSourceKeys(spec.condition, spec.target_alias, spec.source_alias).status());
    }
  }
  return Status::OK();
}

const OptionNames& MergeSinkOptionNames() {
  static const OptionNames names = {"checkpointLocation",      "queryName",
                                    "autoCompact",             "autoCompact.minNumFiles",
                                    "autoCompact.maxFileSize", "autoCompact.minFileSize"};
  return names;
}

Result<std::unique_ptr<Sink>> MakeMergeSink(std::shared_ptr<io::FileSystem> fs, const std::string& warehouse,
                                            const MergeSinkSpec& spec, const OptionMap& options) {
  TRIB_RETURN_NOT_OK(ValidateMergeSink(spec));
  TRIB_RETURN_NOT_OK(options.CheckKnown(MergeSinkOptionNames(), "the merge sink"));
  TRIB_ASSIGN_OR_RETURN(delta::AutoCompactOptions auto_compact, ParseAutoCompactOptions(options));
  TRIB_ASSIGN_OR_RETURN(std::string path, TablePath(warehouse, spec.into));
  delta::MergeSpec merge;
  merge.target_alias = spec.target_alias;
  merge.source_alias = spec.source_alias;
  merge.condition = spec.condition;
  for (const MergeClauseSpec& clause : spec.clauses) merge.clauses.push_back(ToDeltaClause(clause));
  std::vector<std::string> keys = spec.keys;
  if (!spec.latest_by.empty() && keys.empty()) {
    TRIB_ASSIGN_OR_RETURN(keys, MergeSourceKeys(spec.condition, spec.target_alias, spec.source_alias));
  }
  return std::unique_ptr<Sink>(
      std::make_unique<MergeSink>(std::move(fs), std::move(path), std::move(merge), spec.latest_by, std::move(keys),
                                  std::move(auto_compact)));
}

}  // namespace tributary::streaming
