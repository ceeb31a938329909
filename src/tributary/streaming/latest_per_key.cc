#include "tributary/streaming/latest_per_key.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "tributary/base/ascii.h"
#include "tributary/columnar/row_key.h"
#include "tributary/columnar/take.h"
#include "tributary/expr/expression.h"

namespace tributary::streaming {

namespace {

using columnar::Column;
using columnar::TypeId;

// -1, 0, 1 comparing two non-null values of one orderable column.
int CompareValues(const Column& a, int64_t row_a, const Column& b, int64_t row_b) {
  auto three_way = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.type()->id()) {
    case TypeId::kBoolean: return three_way(a.BoolValue(row_a), b.BoolValue(row_b));
    case TypeId::kByte: return three_way(a.Value<int8_t>(row_a), b.Value<int8_t>(row_b));
    case TypeId::kShort: return three_way(a.Value<int16_t>(row_a), b.Value<int16_t>(row_b));
    case TypeId::kInteger:
    case TypeId::kDate: return three_way(a.Value<int32_t>(row_a), b.Value<int32_t>(row_b));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: return three_way(a.Value<int64_t>(row_a), b.Value<int64_t>(row_b));
    case TypeId::kFloat: return three_way(a.Value<float>(row_a), b.Value<float>(row_b));
    case TypeId::kDouble: return three_way(a.Value<double>(row_a), b.Value<double>(row_b));
    case TypeId::kDecimal: {
      __int128 x, y;
      std::memcpy(&x, a.values()->data() + 16 * row_a, 16);
      std::memcpy(&y, b.values()->data() + 16 * row_b, 16);
      return three_way(x, y);
    }
    case TypeId::kString:
    case TypeId::kBinary: return three_way(a.StringValue(row_a), b.StringValue(row_b));
    default: return 0;
  }
}

bool Orderable(TypeId id) {
  switch (id) {
    case TypeId::kStruct:
    case TypeId::kArray:
    case TypeId::kMap: return false;
    default: return true;
  }
}

}  // namespace

Result<std::vector<columnar::RecordBatchPtr>> KeepLatestPerKey(const columnar::Schema& schema,
                                                              const std::vector<columnar::RecordBatchPtr>& batches,
                                                              const std::vector<std::string>& keys,
                                                              const std::string& order_by) {
  if (keys.empty()) return Status::Invalid("keeping the latest row per key needs at least one key column");
  std::vector<int> key_columns;
  for (const std::string& key : keys) {
    std::optional<int> index = schema.FieldIndexIgnoreCase(key);
    if (!index) return Status::Invalid("latest per key: no key column '{}' in ({})", key, schema.ToDdl());
    key_columns.push_back(*index);
  }
  TRIB_ASSIGN_OR_RETURN(expr::ExprPtr parsed, expr::ParseExpression(order_by));
  auto bound = expr::Bind(parsed, schema);
  if (!bound.ok()) return Status::Invalid("latest per key: order by '{}': {}", order_by, bound.status().message());
  if (!Orderable((*bound)->type()->id())) {
    return Status::Invalid("latest per key: order by '{}' is of type {}, which has no order", order_by,
                           (*bound)->type()->SimpleString());
  }
  // The winner of each key: (batch, row), and its order value column.
  struct Winner {
    size_t batch;
    int64_t row;
  };
  std::vector<columnar::ColumnPtr> order_values;
  std::unordered_map<std::string, Winner> winners;
  std::vector<Winner> null_key_rows;
  expr::EvalContext context;
  std::string key;
  for (size_t b = 0; b < batches.size(); ++b) {
    const columnar::RecordBatch& batch = *batches[b];
    TRIB_ASSIGN_OR_RETURN(columnar::ColumnPtr values, (*bound)->Evaluate(batch, &context));
    order_values.push_back(values);
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      key.clear();
      bool null_key = false;
      for (int column : key_columns) {
        null_key = null_key || batch.column(column)->IsNull(row);
        columnar::AppendRowKey(*batch.column(column), row, &key);
      }
      if (null_key) {
        // `t.k = s.k` never holds for a null key: each such row is its own (inserted
        // or unmatched) row, so none of them is dropped.
        null_key_rows.push_back(Winner{b, row});
        continue;
      }
      auto [it, inserted] = winners.try_emplace(key, Winner{b, row});
      if (inserted) continue;
      const Column& current = *order_values[it->second.batch];
      int64_t current_row = it->second.row;
      // Later rows win ties; null is lowest.
      bool later_wins;
      if (values->IsNull(row)) {
        later_wins = current.IsNull(current_row);
      } else if (current.IsNull(current_row)) {
        later_wins = true;
      } else {
        later_wins = CompareValues(*values, row, current, current_row) >= 0;
      }
      if (later_wins) it->second = Winner{b, row};
    }
  }
  std::vector<std::vector<int64_t>> keep(batches.size());
  for (const auto& [unused, winner] : winners) keep[winner.batch].push_back(winner.row);
  for (const Winner& row : null_key_rows) keep[row.batch].push_back(row.row);
  std::vector<columnar::RecordBatchPtr> out;
  for (size_t b = 0; b < batches.size(); ++b) {
    if (keep[b].empty()) continue;
    std::sort(keep[b].begin(), keep[b].end());
    if (static_cast<int64_t>(keep[b].size()) == batches[b]->num_rows()) {
      out.push_back(batches[b]);
      continue;
    }
    TRIB_ASSIGN_OR_RETURN(columnar::RecordBatchPtr taken, columnar::TakeRows(*batches[b], keep[b]));
    out.push_back(std::move(taken));
  }
  return out;
}

Result<std::vector<std::string>> MergeSourceKeys(const std::string& condition, const std::string& target_alias,
                                                 const std::string& source_alias) {
  TRIB_ASSIGN_OR_RETURN(expr::ExprPtr parsed, expr::ParseExpression(condition));
  // "s.col" -> col when the reference is qualified by `alias`.
  auto column_of = [&](const expr::Expression& e, const std::string& alias) -> std::optional<std::string> {
    if (e.kind() != expr::ExprKind::kColumn || e.names().size() != 2 || !EqualsIgnoreCase(e.names()[0], alias)) {
      return std::nullopt;
    }
    return e.names()[1];
  };
  // The same equalities MERGE uses as join keys (`=`, `==`).
  std::vector<std::string> keys;
  for (const expr::ExprPtr& e : expr::SplitConjuncts(parsed)) {
    if (e->kind() != expr::ExprKind::kBinary || (e->name() != "=" && e->name() != "==")) continue;
    for (int side = 0; side < 2; ++side) {
      if (column_of(*e->child(side), target_alias) && column_of(*e->child(1 - side), source_alias)) {
        keys.push_back(*column_of(*e->child(1 - side), source_alias));
      }
    }
  }
  if (keys.empty()) {
    return Status::Invalid("the merge condition '{}' has no equality {}.<column> = {}.<column> to take the keys "
                           "from; give them explicitly",
                           condition, target_alias, source_alias);
  }
  return keys;
}

}  // namespace tributary::streaming
