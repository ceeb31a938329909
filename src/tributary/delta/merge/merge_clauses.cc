#include <fmt/format.h>

#include "tributary/columnar/take.h"
#include "tributary/delta/merge/merge_internal.h"

namespace tributary::delta::merge_internal {

using columnar::ColumnPtr;
using columnar::DataType;
using columnar::Field;
using expr::ExprKind;
using expr::ExprPtr;
using Kind = MergeClause::Kind;

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Quote(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::optional<int> IndexIgnoreCase(const columnar::Schema& schema, const std::string& name) {
  if (auto index = schema.FieldIndex(name)) return index;
  return schema.FieldIndexIgnoreCase(name);
}

// Which side a column reference names: 't' (target), 's' (source) or 0; and the index.
std::pair<char, int> Resolve(const expr::Expression& e, const columnar::Schema& target,
                             const columnar::Schema& source, const MergeSpec& spec) {
  if (e.kind() != ExprKind::kColumn) return {0, -1};
  const auto& names = e.names();
  if (names.size() == 2) {
    if (Lower(names[0]) == Lower(spec.target_alias)) {
      auto index = IndexIgnoreCase(target, names[1]);
      return index ? std::pair<char, int>{'t', *index} : std::pair<char, int>{0, -1};
    }
    if (Lower(names[0]) == Lower(spec.source_alias)) {
      auto index = IndexIgnoreCase(source, names[1]);
      return index ? std::pair<char, int>{'s', *index} : std::pair<char, int>{0, -1};
    }
    return {0, -1};
  }
  if (names.size() != 1) return {0, -1};
  auto in_target = IndexIgnoreCase(target, names[0]);
  auto in_source = IndexIgnoreCase(source, names[0]);
  if (in_target && !in_source) return {'t', *in_target};
  if (in_source && !in_target) return {'s', *in_source};
  return {0, -1};
}

std::optional<SkipValue> LiteralFor(const expr::Expression& e, const columnar::DataType& column_type) {
  if (e.kind() != ExprKind::kLiteral || e.null_literal() || e.literal() == nullptr) return std::nullopt;
  std::optional<SkipValue> value = SkipValueAt(*e.literal(), 0);
  if (!value) return std::nullopt;
  bool column_is_int = column_type.is_integral();
  bool column_is_string = column_type.id() == columnar::TypeId::kString;
  if (column_is_int && std::holds_alternative<int64_t>(*value)) return value;
  if (column_is_string && std::holds_alternative<std::string>(*value)) return value;
  return std::nullopt;
}

}  // namespace

ConditionAnalysis AnalyzeCondition(const ExprPtr& condition, const columnar::Schema& target,
                                   const columnar::Schema& source, const MergeSpec& spec) {
  ConditionAnalysis out;
  for (const ExprPtr& c : expr::SplitConjuncts(condition)) {
    if (c->kind() != ExprKind::kBinary || (c->name() != "=" && c->name() != "==")) continue;
    auto left = Resolve(*c->child(0), target, source, spec);
    auto right = Resolve(*c->child(1), target, source, spec);
    if (left.first == 's' && right.first == 't') std::swap(left, right);
    if (left.first == 't' && right.first == 's') {
      const Field& target_field = target.field(left.second);
      if (target_field.type->is_nested()) continue;
      ExprPtr cast = expr::Cast(expr::Col(Quote(source.field(right.second).name)), target_field.type);
      auto bound = expr::Bind(cast, source);
      if (!bound.ok()) continue;  // the residual condition still decides
      out.keys.push_back(JoinKey{left.second, right.second, std::move(bound).value()});
      continue;
    }
    const expr::Expression* literal = nullptr;
    int column = -1;
    if (left.first == 't' && right.first == 0) {
      column = left.second;
      literal = c->child(1).get();
    } else if (right.first == 't' && left.first == 0) {
      column = right.second;
      literal = c->child(0).get();
    }
    if (column >= 0) {
      if (auto value = LiteralFor(*literal, *target.field(column).type)) {
        out.literals.push_back(TargetLiteral{column, *value});
      }
    }
  }
  return out;
}

columnar::Schema JoinedSchema(const columnar::Schema& target, const columnar::Schema& source,
                              const MergeSpec& spec) {
  return columnar::Schema({Field{spec.target_alias, target.AsStruct()},
                           Field{spec.source_alias, source.AsStruct()}});
}

namespace {

bool IsUpdate(Kind kind) {
  return kind == Kind::kMatchedUpdate || kind == Kind::kMatchedUpdateAll ||
         kind == Kind::kNotMatchedBySourceUpdate;
}
bool IsInsert(Kind kind) { return kind == Kind::kNotMatchedInsert || kind == Kind::kNotMatchedInsertAll; }

Result<expr::BoundExprPtr> BindSql(const std::string& sql, const columnar::Schema& joined,
                                   const expr::BindOptions& options, const columnar::DataTypePtr& type,
                                   const std::string& what, const std::string& table_path) {
  auto parsed = expr::ParseExpression(sql);
  if (!parsed.ok()) {
    return Status::Invalid("MERGE into Delta table '{}': cannot parse {} '{}': {}", table_path, what, sql,
                           parsed.status().message());
  }
  ExprPtr e = type ? expr::Cast(*parsed, type) : *parsed;
  auto bound = expr::Bind(e, joined, options);
  if (!bound.ok()) {
    return Status::Invalid("MERGE into Delta table '{}': {} '{}': {}", table_path, what, sql,
                           bound.status().message());
  }
  if (!type && (*bound)->type()->id() != columnar::TypeId::kBoolean) {
    return Status::Invalid("MERGE into Delta table '{}': {} '{}' is not boolean but {}", table_path, what,
                           sql, (*bound)->type()->DeltaName());
  }
  return bound;
}

}  // namespace

Result<std::vector<BoundClause>> BindClauses(const MergeSpec& spec, const columnar::Schema& target,
                                             const columnar::Schema& source,
                                             const columnar::Schema& output,
                                             const std::string& table_path) {
  columnar::Schema joined = JoinedSchema(target, source, spec);
  expr::BindOptions options;
  options.unqualified_scopes = {spec.target_alias, spec.source_alias};
  std::string t = Quote(spec.target_alias) + ".";
  std::string s = Quote(spec.source_alias) + ".";
  std::vector<BoundClause> out;
  for (const MergeClause& clause : spec.clauses) {
    BoundClause bound{clause.kind, nullptr, {}, clause.condition.value_or("")};
    if (clause.condition) {
      TRIB_ASSIGN_OR_RETURN(bound.condition, BindSql(*clause.condition, joined, options, nullptr,
                                                     "clause condition", table_path));
    }
    if (IsUpdate(clause.kind) || IsInsert(clause.kind)) {
      // Target column (index in `output`) -> SQL.
      std::vector<std::optional<std::string>> sql(static_cast<size_t>(output.num_fields()));
      if (clause.kind == Kind::kMatchedUpdateAll || clause.kind == Kind::kNotMatchedInsertAll) {
        for (int i = 0; i < output.num_fields(); ++i) {
          const std::string& name = output.field(i).name;
          if (auto index = IndexIgnoreCase(source, name)) {
            sql[static_cast<size_t>(i)] = s + Quote(source.field(*index).name);
          } else if (!spec.schema_evolution) {
            return Status::Invalid(
                "MERGE into Delta table '{}': {} needs source column '{}' for target column '{}' "
                "(source columns: {}); set schema evolution or assign the columns explicitly",
                table_path, clause.kind == Kind::kMatchedUpdateAll ? "UPDATE SET *" : "INSERT *", name,
                name, source.ToDdl());
          }
        }
      } else {
        for (const auto& [column, value] : clause.assignments) {
          std::string name = column;
          std::string prefix = Lower(spec.target_alias) + ".";
          if (Lower(name).starts_with(prefix)) name = name.substr(prefix.size());
          if (name.size() >= 2 && name.front() == '`' && name.back() == '`') name = name.substr(1, name.size() - 2);
          auto index = IndexIgnoreCase(output, name);
          if (!index) {
            return Status::Invalid("MERGE into Delta table '{}': assignment to unknown target column '{}' "
                                   "(table columns: {})",
                                   table_path, column, output.ToDdl());
          }
          if (sql[static_cast<size_t>(*index)]) {
            return Status::Invalid("MERGE into Delta table '{}': column '{}' is assigned twice in one clause",
                                   table_path, column);
          }
          sql[static_cast<size_t>(*index)] = value;
        }
      }
      for (int i = 0; i < output.num_fields(); ++i) {
        const Field& field = output.field(i);
        std::string text;
        if (sql[static_cast<size_t>(i)]) {
          text = *sql[static_cast<size_t>(i)];
        } else if (IsUpdate(clause.kind) && IndexIgnoreCase(target, field.name)) {
          text = t + Quote(field.name);  // unchanged
        } else {
          text = "NULL";
        }
        TRIB_ASSIGN_OR_RETURN(auto e, BindSql(text, joined, options, field.type,
                                              fmt::format("value for column '{}'", field.name), table_path));
        bound.outputs.push_back(std::move(e));
      }
    }
    out.push_back(std::move(bound));
  }
  return out;
}

Result<columnar::RecordBatchPtr> JoinRows(const columnar::SchemaPtr& joined_schema,
                                          const columnar::RecordBatch* target,
                                          const std::vector<int64_t>& target_rows,
                                          const columnar::RecordBatch* source,
                                          const std::vector<int64_t>& source_rows, int64_t length) {
  std::vector<ColumnPtr> columns;
  for (int side = 0; side < 2; ++side) {
    const columnar::RecordBatch* batch = side == 0 ? target : source;
    const auto& rows = side == 0 ? target_rows : source_rows;
    const columnar::DataTypePtr& type = joined_schema->field(side).type;
    std::vector<ColumnPtr> children;
    for (size_t i = 0; i < type->fields().size(); ++i) {
      if (batch == nullptr) {
        children.push_back(columnar::Column::MakeNull(type->fields()[i].type, length));
      } else {
        TRIB_ASSIGN_OR_RETURN(auto child, columnar::Take(*batch->column(static_cast<int>(i)), rows));
        children.push_back(std::move(child));
      }
    }
    columns.push_back(std::make_shared<columnar::Column>(type, length, 0, nullptr, nullptr, nullptr,
                                                         std::move(children)));
  }
  return std::make_shared<columnar::RecordBatch>(joined_schema, length, std::move(columns));
}

Result<std::vector<int>> ChooseClauses(const std::vector<const BoundClause*>& clauses,
                                       const columnar::RecordBatch& joined, expr::EvalContext* context) {
  std::vector<int> choice(static_cast<size_t>(joined.num_rows()), -1);
  int64_t undecided = joined.num_rows();
  for (size_t k = 0; k < clauses.size() && undecided > 0; ++k) {
    if (clauses[k]->condition == nullptr) {
      for (int& c : choice) {
        if (c < 0) c = static_cast<int>(k);
      }
      break;
    }
    TRIB_ASSIGN_OR_RETURN(ColumnPtr mask, clauses[k]->condition->Evaluate(joined, context));
    for (int64_t row = 0; row < joined.num_rows(); ++row) {
      int& c = choice[static_cast<size_t>(row)];
      if (c < 0 && mask->IsValid(row) && mask->BoolValue(row)) {
        c = static_cast<int>(k);
        --undecided;
      }
    }
  }
  return choice;
}

Result<columnar::RecordBatchPtr> Produce(const BoundClause& clause, const columnar::RecordBatch& joined,
                                         const std::vector<int64_t>& rows,
                                         const columnar::SchemaPtr& output, expr::EvalContext* context) {
  TRIB_ASSIGN_OR_RETURN(auto subset, columnar::TakeRows(joined, rows));
  std::vector<ColumnPtr> columns;
  for (const auto& e : clause.outputs) {
    TRIB_ASSIGN_OR_RETURN(auto column, e->Evaluate(*subset, context));
    columns.push_back(std::move(column));
  }
  return std::make_shared<columnar::RecordBatch>(output, static_cast<int64_t>(rows.size()), std::move(columns));
}

}  // namespace tributary::delta::merge_internal
