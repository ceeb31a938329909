#include "tributary/delta/merge/merge.h"

#include <chrono>
#include <unordered_map>

#include "tributary/base/json.h"
#include "tributary/columnar/row_key.h"
#include "tributary/columnar/take.h"
#include "tributary/delta/merge/merge_internal.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {

using columnar::ColumnPtr;
using columnar::RecordBatch;
using columnar::RecordBatchPtr;
using Kind = MergeClause::Kind;
using merge_internal::BoundClause;

namespace {

// Source keys with at most this many distinct values also skip files by IN (...).
constexpr size_t kMaxInListForSkipping = 64;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

enum class Group { kMatched, kNotMatched, kNotMatchedBySource };

Group GroupOf(Kind kind) {
  switch (kind) {
    case Kind::kMatchedUpdate:
    case Kind::kMatchedUpdateAll:
    case Kind::kMatchedDelete:
      return Group::kMatched;
    case Kind::kNotMatchedInsert:
    case Kind::kNotMatchedInsertAll:
      return Group::kNotMatched;
    default:
      return Group::kNotMatchedBySource;
  }
}

bool IsDelete(Kind kind) { return kind == Kind::kMatchedDelete || kind == Kind::kNotMatchedBySourceDelete; }

const char* ActionType(Kind kind) {
  switch (kind) {
    case Kind::kMatchedUpdate:
    case Kind::kMatchedUpdateAll:
    case Kind::kNotMatchedBySourceUpdate: return "update";
    case Kind::kMatchedDelete:
    case Kind::kNotMatchedBySourceDelete: return "delete";
    case Kind::kNotMatchedInsert:
    case Kind::kNotMatchedInsertAll: return "insert";
  }
  return "";
}

Status CheckClauseOrder(const MergeSpec& spec, const std::string& table_path) {
  const char* names[] = {"WHEN MATCHED", "WHEN NOT MATCHED", "WHEN NOT MATCHED BY SOURCE"};
  for (Group group : {Group::kMatched, Group::kNotMatched, Group::kNotMatchedBySource}) {
    std::vector<const MergeClause*> clauses;
    for (const MergeClause& c : spec.clauses) {
      if (GroupOf(c.kind) == group) clauses.push_back(&c);
    }
    for (size_t i = 0; i + 1 < clauses.size(); ++i) {
      if (!clauses[i]->condition) {
        return Status::Invalid(
            "MERGE into Delta table '{}': when there is more than one {} clause, only the last one "
            "may omit the condition (clause {} of {} has none)",
            table_path, names[static_cast<int>(group)], i + 1, clauses.size());
      }
    }
  }
  return Status::OK();
}

std::string JsonArrayOfOne(const std::string& text) {
  JsonWriter w;
  w.StartArray().String(text).EndArray();
  return w.Finish();
}

std::string ClausePredicates(const MergeSpec& spec, Group group) {
  JsonWriter w;
  w.StartArray();
  for (const MergeClause& c : spec.clauses) {
    if (GroupOf(c.kind) != group) continue;
    w.StartObject();
    if (c.condition) w.Key("predicate").String(*c.condition);
    w.Key("actionType").String(ActionType(c.kind));
    w.EndObject();
  }
  w.EndArray();
  return w.Finish();
}

// A Bloom filter over the source's join keys. Most rows of a large target match no
// source row; this rejects them with one hash and two bit probes, where a lookup in
// the key map costs a division and two cache misses.
class KeyFilter {
 public:
  void Build(const std::unordered_map<std::string, std::vector<int64_t>>& keys) {
    size_t bits = 512;
    while (bits < keys.size() * 16) bits <<= 1;
    words_.assign(bits / 64, 0);
    mask_ = bits - 1;
    for (const auto& entry : keys) Add(Hash(entry.first));
  }
  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  bool MayContain(uint64_t hash) const {
    return Test(hash & mask_) && Test((hash * 0x9E3779B97F4A7C15ull >> 17) & mask_);
  }

 private:
  void Add(uint64_t hash) {
    Set(hash & mask_);
    Set((hash * 0x9E3779B97F4A7C15ull >> 17) & mask_);
  }
  void Set(uint64_t bit) { words_[bit >> 6] |= uint64_t{1} << (bit & 63); }
  bool Test(uint64_t bit) const { return (words_[bit >> 6] >> (bit & 63)) & 1; }

  std::vector<uint64_t> words_;
  uint64_t mask_ = 0;
};

struct MergeState {
  Table* table;
  const MergeSpec* spec;
  columnar::Schema target_schema;
  columnar::SchemaPtr output_schema;
  columnar::SchemaPtr joined_schema;
  RecordBatchPtr source;
  std::vector<BoundClause> clauses;
  std::vector<const BoundClause*> matched, not_matched, not_matched_by_source;
  merge_internal::ConditionAnalysis analysis;
  expr::BoundExprPtr condition;
  std::vector<ColumnPtr> source_keys;  // per join key, cast to the target type
  std::unordered_map<std::string, std::vector<int64_t>> source_by_key;
  KeyFilter source_key_filter;  // over source_by_key's keys
  std::vector<uint8_t> source_matched;
  bool matched_only_unconditional_delete = false;
  expr::EvalContext context;
  MergeMetrics metrics;
};

// The file predicate that a matching target row satisfies, from the source keys.
FilePredicate MatchPredicate(const MergeState& state) {
  FilePredicate predicate;
  const columnar::Schema& target = state.target_schema;
  for (const auto& literal : state.analysis.literals) {
    predicate.conjuncts.push_back(
        ColumnConstraint::Equal(target.field(literal.target_column).name, literal.value));
  }
  for (size_t k = 0; k < state.analysis.keys.size(); ++k) {
    const ColumnPtr& column = state.source_keys[k];
    std::optional<SkipValue> min, max;
    std::vector<SkipValue> distinct;
    bool orderable = true;
    for (int64_t row = 0; row < column->length(); ++row) {
      std::optional<SkipValue> value = SkipValueAt(*column, row);
      if (!value) {
        if (column->IsValid(row)) orderable = false;  // a type without statistics
        continue;
      }
      if (!min || CompareSkipValues(*value, *min) < 0) min = value;
      if (!max || CompareSkipValues(*value, *max) > 0) max = value;
      if (distinct.size() <= kMaxInListForSkipping) {
        bool seen = false;
        for (const SkipValue& d : distinct) seen = seen || CompareSkipValues(d, *value) == 0;
        if (!seen) distinct.push_back(*value);
      }
    }
    if (!orderable) continue;
    std::string name = target.field(state.analysis.keys[k].target_column).name;
    if (!min) {
      predicate.matches_nothing = true;  // no source row has a non-null key
      return predicate;
    }
    if (distinct.size() <= kMaxInListForSkipping) {
      predicate.conjuncts.push_back(ColumnConstraint::In(name, std::move(distinct)));
    } else {
      predicate.conjuncts.push_back(ColumnConstraint::Between(name, *min, *max));
    }
  }
  return predicate;
}

// Candidate (target row, source row) pairs of `target` by the join keys; every pair
// when the condition has no keys.
void Candidates(const MergeState& state, const RecordBatch& target, std::vector<int64_t>* target_rows,
                std::vector<int64_t>* source_rows) {
  const auto& keys = state.analysis.keys;
  if (keys.empty()) {
    for (int64_t t = 0; t < target.num_rows(); ++t) {
      for (int64_t s = 0; s < state.source->num_rows(); ++s) {
        target_rows->push_back(t);
        source_rows->push_back(s);
      }
    }
    return;
  }
  std::string key;
  for (int64_t t = 0; t < target.num_rows(); ++t) {
    key.clear();
    bool has_null = false;
    for (const auto& k : keys) {
      const columnar::Column& column = *target.column(k.target_column);
      if (column.IsNull(t)) has_null = true;
      columnar::AppendRowKey(column, t, &key);
    }
    if (has_null) continue;  // NULL = x is never true
    if (!state.source_key_filter.MayContain(KeyFilter::Hash(key))) continue;
    auto it = state.source_by_key.find(key);
    if (it == state.source_by_key.end()) continue;
    for (int64_t s : it->second) {
      target_rows->push_back(t);
      source_rows->push_back(s);
    }
  }
}

// Processes one target file: finds its matches and, when a row changes, writes the
// file's new content and returns true (the file is then removed).
Result<bool> ProcessFile(MergeState& state, const AddFile& file, AppendTransaction* writer) {
  Table& table = *state.table;
  std::vector<RecordBatchPtr> batches;
  TRIB_RETURN_NOT_OK(ReadDataFile(table.fs_ptr(), table.path(), table.snapshot(), file,
                                  [&](RecordBatchPtr batch) {
                                    batches.push_back(std::move(batch));
                                    return Status::OK();
                                  }));
  auto target_schema = std::make_shared<columnar::Schema>(state.target_schema);
  TRIB_ASSIGN_OR_RETURN(RecordBatchPtr target, columnar::ConcatenateBatches(target_schema, batches));
  const int64_t num_rows = target->num_rows();

  // Matches: candidates that satisfy the whole ON condition.
  std::vector<int64_t> cand_t, cand_s;
  Candidates(state, *target, &cand_t, &cand_s);
  std::vector<int64_t> match_t, match_s;
  if (!cand_t.empty()) {
    TRIB_ASSIGN_OR_RETURN(auto joined, merge_internal::JoinRows(state.joined_schema, target.get(), cand_t,
                                                                state.source.get(), cand_s,
                                                                static_cast<int64_t>(cand_t.size())));
    TRIB_ASSIGN_OR_RETURN(ColumnPtr mask, state.condition->Evaluate(*joined, &state.context));
    for (size_t i = 0; i < cand_t.size(); ++i) {
      if (mask->IsValid(static_cast<int64_t>(i)) && mask->BoolValue(static_cast<int64_t>(i))) {
        match_t.push_back(cand_t[i]);
        match_s.push_back(cand_s[i]);
      }
    }
  }
  std::vector<int> matches_per_row(static_cast<size_t>(num_rows), 0);
  for (size_t i = 0; i < match_t.size(); ++i) {
    ++matches_per_row[static_cast<size_t>(match_t[i])];
    state.source_matched[static_cast<size_t>(match_s[i])] = 1;
  }

  // What happens to each target row: -1 unchanged, else an index into `produced`.
  enum : int { kKeep = -1, kDelete = -2 };
  std::vector<int> fate(static_cast<size_t>(num_rows), kKeep);
  std::vector<RecordBatchPtr> produced;

  if (!match_t.empty() && !state.matched.empty()) {
    TRIB_ASSIGN_OR_RETURN(auto joined, merge_internal::JoinRows(state.joined_schema, target.get(), match_t,
                                                                state.source.get(), match_s,
                                                                static_cast<int64_t>(match_t.size())));
    TRIB_ASSIGN_OR_RETURN(auto choice, merge_internal::ChooseClauses(state.matched, *joined, &state.context));
    for (size_t i = 0; i < match_t.size(); ++i) {
      if (choice[i] >= 0 && matches_per_row[static_cast<size_t>(match_t[i])] > 1 &&
          !state.matched_only_unconditional_delete) {
        return Status::Invalid(
            "DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE: cannot perform MERGE into Delta "
            "table '{}' as multiple source rows matched and attempted to modify the same target row "
            "(row {} of data file '{}' matches {} source rows); deduplicate the source on the join "
            "keys or narrow the ON condition",
            table.path(), match_t[i], file.path, matches_per_row[static_cast<size_t>(match_t[i])]);
      }
    }
    for (size_t k = 0; k < state.matched.size(); ++k) {
      std::vector<int64_t> rows;
      for (size_t i = 0; i < match_t.size(); ++i) {
        if (choice[i] == static_cast<int>(k)) rows.push_back(static_cast<int64_t>(i));
      }
      if (rows.empty()) continue;
      const BoundClause& clause = *state.matched[k];
      if (IsDelete(clause.kind)) {
        for (int64_t i : rows) {
          int& f = fate[static_cast<size_t>(match_t[static_cast<size_t>(i)])];
          if (f == kKeep) ++state.metrics.num_target_rows_deleted;
          f = kDelete;
        }
        continue;
      }
      TRIB_ASSIGN_OR_RETURN(auto batch, merge_internal::Produce(clause, *joined, rows, state.output_schema,
                                                                &state.context));
      for (int64_t i : rows) fate[static_cast<size_t>(match_t[static_cast<size_t>(i)])] = static_cast<int>(produced.size());
      state.metrics.num_target_rows_updated += batch->num_rows();
      produced.push_back(std::move(batch));
    }
  }

  if (!state.not_matched_by_source.empty()) {
    std::vector<int64_t> unmatched;
    for (int64_t row = 0; row < num_rows; ++row) {
      if (matches_per_row[static_cast<size_t>(row)] == 0) unmatched.push_back(row);
    }
    if (!unmatched.empty()) {
      TRIB_ASSIGN_OR_RETURN(auto joined, merge_internal::JoinRows(state.joined_schema, target.get(), unmatched,
                                                                  nullptr, {},
                                                                  static_cast<int64_t>(unmatched.size())));
      TRIB_ASSIGN_OR_RETURN(auto choice, merge_internal::ChooseClauses(state.not_matched_by_source, *joined,
                                                                       &state.context));
      for (size_t k = 0; k < state.not_matched_by_source.size(); ++k) {
        std::vector<int64_t> rows;
        for (size_t i = 0; i < unmatched.size(); ++i) {
          if (choice[i] == static_cast<int>(k)) rows.push_back(static_cast<int64_t>(i));
        }
        if (rows.empty()) continue;
        const BoundClause& clause = *state.not_matched_by_source[k];
        if (IsDelete(clause.kind)) {
          for (int64_t i : rows) fate[static_cast<size_t>(unmatched[static_cast<size_t>(i)])] = kDelete;
          state.metrics.num_target_rows_deleted += static_cast<int64_t>(rows.size());
          continue;
        }
        TRIB_ASSIGN_OR_RETURN(auto batch, merge_internal::Produce(clause, *joined, rows, state.output_schema,
                                                                  &state.context));
        for (int64_t i : rows) fate[static_cast<size_t>(unmatched[static_cast<size_t>(i)])] = static_cast<int>(produced.size());
        state.metrics.num_target_rows_updated += batch->num_rows();
        produced.push_back(std::move(batch));
      }
    }
  }

  std::vector<int64_t> kept;
  for (int64_t row = 0; row < num_rows; ++row) {
    if (fate[static_cast<size_t>(row)] == kKeep) kept.push_back(row);
  }
  if (static_cast<int64_t>(kept.size()) == num_rows) return false;  // nothing changed: keep the file
  if (!kept.empty()) {
    TRIB_ASSIGN_OR_RETURN(auto copied, columnar::TakeRows(*target, kept));
    TRIB_RETURN_NOT_OK(writer->Write(*copied));
    state.metrics.num_target_rows_copied += copied->num_rows();
  }
  for (const RecordBatchPtr& batch : produced) TRIB_RETURN_NOT_OK(writer->Write(*batch));
  return true;
}

Status InsertUnmatched(MergeState& state, AppendTransaction* writer) {
  if (state.not_matched.empty()) return Status::OK();
  std::vector<int64_t> rows;
  for (int64_t row = 0; row < state.source->num_rows(); ++row) {
    if (!state.source_matched[static_cast<size_t>(row)]) rows.push_back(row);
  }
  if (rows.empty()) return Status::OK();
  TRIB_ASSIGN_OR_RETURN(auto joined, merge_internal::JoinRows(state.joined_schema, nullptr, {},
                                                              state.source.get(), rows,
                                                              static_cast<int64_t>(rows.size())));
  TRIB_ASSIGN_OR_RETURN(auto choice, merge_internal::ChooseClauses(state.not_matched, *joined, &state.context));
  for (size_t k = 0; k < state.not_matched.size(); ++k) {
    std::vector<int64_t> chosen;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (choice[i] == static_cast<int>(k)) chosen.push_back(static_cast<int64_t>(i));
    }
    if (chosen.empty()) continue;
    TRIB_ASSIGN_OR_RETURN(auto batch, merge_internal::Produce(*state.not_matched[k], *joined, chosen,
                                                              state.output_schema, &state.context));
    state.metrics.num_target_rows_inserted += batch->num_rows();
    TRIB_RETURN_NOT_OK(writer->Write(*batch));
  }
  return Status::OK();
}

}  // namespace

Result<MergeMetrics> ExecuteMerge(Table& table, const columnar::Schema& source_schema,
                                  const std::vector<RecordBatchPtr>& source, const MergeSpec& spec) {
  const int64_t start = NowMs();
  const std::string& path = table.path();
  TRIB_RETURN_NOT_OK(table.Refresh());
  MergeState state;
  state.table = &table;
  state.spec = &spec;
  state.metrics.version = table.snapshot().version();
  if (spec.txn) {
    std::optional<int64_t> done = table.snapshot().TxnVersion(spec.txn->app_id);
    if (done && *done >= spec.txn->version) {
      state.metrics.skipped = true;
      state.metrics.execution_time_ms = NowMs() - start;
      return state.metrics;
    }
  }
  TRIB_RETURN_NOT_OK(CheckClauseOrder(spec, path));
  if (spec.condition.empty()) return Status::Invalid("MERGE into Delta table '{}': the ON condition is empty", path);

  TRIB_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(table));
  const Snapshot& snapshot = txn->read_snapshot();
  state.target_schema = snapshot.schema();
  state.metrics.num_target_files_total = static_cast<int64_t>(snapshot.files().size());

  // Output schema: the target's, plus the source's new columns under schema evolution.
  columnar::Schema output = state.target_schema;
  bool has_star = false;
  for (const MergeClause& c : spec.clauses) {
    has_star = has_star || c.kind == Kind::kMatchedUpdateAll || c.kind == Kind::kNotMatchedInsertAll;
  }
  if (spec.schema_evolution && has_star) {
    for (const columnar::Field& field : source_schema.fields()) {
      if (!output.FieldIndexIgnoreCase(field.name)) {
        columnar::Field added = field;
        added.nullable = true;
        output = output.AddField(std::move(added));
      }
    }
  }
  state.output_schema = std::make_shared<columnar::Schema>(output);
  auto source_ptr = std::make_shared<columnar::Schema>(source_schema);
  TRIB_ASSIGN_OR_RETURN(state.source, columnar::ConcatenateBatches(source_ptr, source));
  state.metrics.num_source_rows = state.source->num_rows();
  state.source_matched.assign(static_cast<size_t>(state.source->num_rows()), 0);
  state.context.current_timestamp_micros = start * 1000;

  columnar::Schema joined = merge_internal::JoinedSchema(state.target_schema, source_schema, spec);
  state.joined_schema = std::make_shared<columnar::Schema>(joined);
  auto parsed = expr::ParseExpression(spec.condition);
  if (!parsed.ok()) {
    return Status::Invalid("MERGE into Delta table '{}': cannot parse the ON condition '{}': {}", path,
                           spec.condition, parsed.status().message());
  }
  expr::BindOptions options;
  options.unqualified_scopes = {spec.target_alias, spec.source_alias};
  auto condition = expr::Bind(*parsed, joined, options);
  if (!condition.ok()) {
    return Status::Invalid("MERGE into Delta table '{}': ON condition '{}': {}", path, spec.condition,
                           condition.status().message());
  }
  state.condition = std::move(condition).value();
  TRIB_ASSIGN_OR_RETURN(state.clauses, merge_internal::BindClauses(spec, state.target_schema, source_schema,
                                                                   output, path));
  for (const BoundClause& c : state.clauses) {
    switch (GroupOf(c.kind)) {
      case Group::kMatched: state.matched.push_back(&c); break;
      case Group::kNotMatched: state.not_matched.push_back(&c); break;
      case Group::kNotMatchedBySource: state.not_matched_by_source.push_back(&c); break;
    }
  }
  state.matched_only_unconditional_delete = state.matched.size() == 1 &&
                                            state.matched[0]->kind == Kind::kMatchedDelete &&
                                            state.matched[0]->condition == nullptr;

  // Hash the source on the join keys.
  state.analysis = merge_internal::AnalyzeCondition(*parsed, state.target_schema, source_schema, spec);
  for (const auto& key : state.analysis.keys) {
    TRIB_ASSIGN_OR_RETURN(auto column, key.source_as_target_type->Evaluate(*state.source, &state.context));
    state.source_keys.push_back(std::move(column));
  }
  if (!state.analysis.keys.empty()) {
    std::string key;
    for (int64_t row = 0; row < state.source->num_rows(); ++row) {
      key.clear();
      bool has_null = false;
      for (const ColumnPtr& column : state.source_keys) {
        if (column->IsNull(row)) has_null = true;
        columnar::AppendRowKey(*column, row, &key);
      }
      if (!has_null) state.source_by_key[key].push_back(row);
    }
    state.source_key_filter.Build(state.source_by_key);
  }

  // Which target files to read: all of them for NOT MATCHED BY SOURCE clauses; else
  // those that may hold a matching row.
  FilePredicate read_predicate;
  if (state.not_matched_by_source.empty()) {
    read_predicate = MatchPredicate(state);
    if (state.source->num_rows() == 0) read_predicate.matches_nothing = true;
  }
  std::vector<AddFile> files = PlanScan(snapshot, read_predicate);
  TRIB_RETURN_NOT_OK(CheckScanSupported(snapshot, files, path));
  txn->ReadPredicate(read_predicate);
  state.metrics.num_target_files_scanned = static_cast<int64_t>(files.size());

  AppendOptions append_options;
  append_options.merge_schema = spec.schema_evolution;
  TRIB_ASSIGN_OR_RETURN(auto writer, table.NewAppend(append_options));
  int64_t bytes_removed = 0;
  for (const AddFile& file : files) {
    txn->ReadFile(file);
    TRIB_ASSIGN_OR_RETURN(bool rewritten, ProcessFile(state, file, writer.get()));
    if (rewritten) {
      txn->Remove(file);
      ++state.metrics.num_target_files_removed;
      bytes_removed += file.size;
    }
  }
  TRIB_RETURN_NOT_OK(InsertUnmatched(state, writer.get()));
  TRIB_ASSIGN_OR_RETURN(std::vector<AddFile> adds, writer->CloseFiles());
  if (writer->new_protocol()) txn->SetProtocol(*writer->new_protocol());
  if (writer->new_metadata()) txn->SetMetadata(*writer->new_metadata());
  state.metrics.num_target_files_added = static_cast<int64_t>(adds.size());
  int64_t bytes_added = 0;
  for (AddFile& add : adds) {
    bytes_added += add.size;
    txn->Add(std::move(add));
  }
  if (spec.txn) txn->SetTxn(*spec.txn);

  MergeMetrics& m = state.metrics;
  CommitOperation operation;
  operation.name = "MERGE";
  operation.parameters = {{"predicate", JsonArrayOfOne(spec.condition)},
                          {"matchedPredicates", ClausePredicates(spec, Group::kMatched)},
                          {"notMatchedPredicates", ClausePredicates(spec, Group::kNotMatched)},
                          {"notMatchedBySourcePredicates", ClausePredicates(spec, Group::kNotMatchedBySource)}};
  m.execution_time_ms = NowMs() - start;
  operation.metrics = {{"numSourceRows", m.num_source_rows},
                       {"numTargetRowsInserted", m.num_target_rows_inserted},
                       {"numTargetRowsUpdated", m.num_target_rows_updated},
                       {"numTargetRowsDeleted", m.num_target_rows_deleted},
                       {"numTargetRowsCopied", m.num_target_rows_copied},
                       {"numOutputRows", m.num_target_rows_inserted + m.num_target_rows_updated +
                                             m.num_target_rows_copied},
                       {"numTargetFilesAdded", m.num_target_files_added},
                       {"numTargetFilesRemoved", m.num_target_files_removed},
                       {"numTargetFilesBeforeSkipping", m.num_target_files_total},
                       {"numTargetFilesAfterSkipping", m.num_target_files_scanned},
                       {"numTargetBytesAdded", bytes_added},
                       {"numTargetBytesRemoved", bytes_removed},
                       {"numTargetChangeFilesAdded", 0},
                       {"executionTimeMs", m.execution_time_ms}};
  operation.is_blind_append = false;
  txn->SetOperation(std::move(operation));
  auto version = txn->Commit();
  if (!version.ok()) {
    if (version.status().IsAlreadyExists() && spec.txn) {
      // A concurrent writer recorded this txn first: the merge was done there.
      m.skipped = true;
      TRIB_RETURN_NOT_OK(table.Refresh());
      m.version = table.snapshot().version();
      return m;
    }
    return version.status().WithContext(fmt::format("MERGE into Delta table '{}'", path));
  }
  m.version = *version;
  return m;
}

}  // namespace tributary::delta
