#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/data_skipping.h"
#include "tributary/delta/merge/merge.h"
#include "tributary/expr/expression.h"

namespace tributary::delta::merge_internal {

/// One equi-join key of the ON condition: target column = source column (top-level).
struct JoinKey {
  int target_column = -1;
  int source_column = -1;
  /// The source column cast to the target column's type, bound on the source schema.
  expr::BoundExprPtr source_as_target_type;
};

/// A `target column = literal` conjunct of the ON condition (prunes target files).
struct TargetLiteral {
  int target_column = -1;
  SkipValue value;
};

/// What the ON condition offers for the join and for skipping.
struct ConditionAnalysis {
  std::vector<JoinKey> keys;
  std::vector<TargetLiteral> literals;
};

/// Splits the ON condition into AND-ed conjuncts and keeps those of the forms
/// `t.x = s.y` (either order, aliases optional when the name is unambiguous) and
/// `t.x = literal`.
ConditionAnalysis AnalyzeCondition(const expr::ExprPtr& condition, const columnar::Schema& target,
                                   const columnar::Schema& source, const MergeSpec& spec);

/// A clause ready to run: its condition and, for updates and inserts, one bound
/// expression per output column, all bound to the joined schema
/// struct<t: target, s: source>.
struct BoundClause {
  MergeClause::Kind kind;
  expr::BoundExprPtr condition;  // null = always
  std::vector<expr::BoundExprPtr> outputs;  // per output-schema column; empty for deletes
  std::string predicate_sql;     // for commitInfo
};

/// The joined schema: column `target_alias` = struct of the target columns, column
/// `source_alias` = struct of the source columns.
columnar::Schema JoinedSchema(const columnar::Schema& target, const columnar::Schema& source,
                              const MergeSpec& spec);

/// Binds every clause. `output` is the schema rows are written with (the target's,
/// plus the source columns schema evolution adds).
Result<std::vector<BoundClause>> BindClauses(const MergeSpec& spec, const columnar::Schema& target,
                                             const columnar::Schema& source,
                                             const columnar::Schema& output,
                                             const std::string& table_path);

/// A joined batch: rows `target_rows` of `target` and `source_rows` of `source`;
/// a null side (nullptr) gives a struct whose fields are all null.
Result<columnar::RecordBatchPtr> JoinRows(const columnar::SchemaPtr& joined_schema,
                                          const columnar::RecordBatch* target,
                                          const std::vector<int64_t>& target_rows,
                                          const columnar::RecordBatch* source,
                                          const std::vector<int64_t>& source_rows,
                                          int64_t length);

/// Picks, per row of `joined`, the index in `clauses` of the first clause whose
/// condition holds (null = false), or -1.
Result<std::vector<int>> ChooseClauses(const std::vector<const BoundClause*>& clauses,
                                       const columnar::RecordBatch& joined, expr::EvalContext* context);

/// Evaluates `clause`'s outputs over rows `rows` of `joined`: a batch of `output`.
Result<columnar::RecordBatchPtr> Produce(const BoundClause& clause, const columnar::RecordBatch& joined,
                                         const std::vector<int64_t>& rows,
                                         const columnar::SchemaPtr& output, expr::EvalContext* context);

}  // namespace tributary::delta::merge_internal
