#include <algorithm>
#include <cctype>

#include "tributary/columnar/ddl_parser.h"
#include "tributary/columnar/take.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr {

using namespace internal;  // NOLINT: the bound node vocabulary

namespace {

bool NamesEqual(std::string_view a, std::string_view b, bool case_sensitive) {
  if (case_sensitive) return a == b;
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::optional<int> FindField(const std::vector<columnar::Field>& fields, std::string_view name, bool case_sensitive) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  if (!case_sensitive) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (NamesEqual(fields[i].name, name, false)) return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

std::string Backquote(std::string_view name) { return "`" + std::string(name) + "`"; }

/// Reads top-level column `index` of the batch.
class ColumnNode final : public Node {
 public:
  ColumnNode(int index, DataTypePtr type, bool nullable, std::string sql)
      : Node(std::move(type), nullable, std::move(sql)), index_(index) {}
  Result<Value> Eval(const RecordBatch& batch, EvalContext*) const override {
    return Value{batch.column(index_), false};
  }

 private:
  int index_;
};

/// Member `index` of a struct value; null where the struct is null.
class FieldNode final : public Node {
 public:
  FieldNode(NodePtr parent, int index, DataTypePtr type, bool nullable, std::string sql)
      : Node(std::move(type), nullable, std::move(sql)), parent_(std::move(parent)), index_(index) {}
  Result<Value> Eval(const RecordBatch& batch, EvalContext* context) const override {
    TRIB_ASSIGN_OR_RETURN(Value parent, parent_->Eval(batch, context));
    const ColumnPtr& child = parent.column->child(index_);
    if (parent.column->null_count() == 0) return Value{child, parent.scalar};
    return Value{WithValidity(child, parent.column->validity()), parent.scalar};
  }

 private:
  NodePtr parent_;
  int index_;
};

class Binder {
 public:
  Binder(const columnar::Schema& input, const BindOptions& options) : input_(input), options_(options) {}

  Result<NodePtr> Bind(const Expression& expr) {
    switch (expr.kind()) {
      case ExprKind::kColumn:
        return BindColumn(expr);
      case ExprKind::kStar:
        return Status::Invalid("'{}' can only be used in a select list", ToSql(expr));
      case ExprKind::kLiteral:
        return MakeLiteralNode(expr.literal(), expr.null_literal(), ToSql(expr));
      case ExprKind::kAlias:
        return Bind(*expr.child(0));
      case ExprKind::kCast: {
        TRIB_ASSIGN_OR_RETURN(NodePtr child, Bind(*expr.child(0)));
        return MakeCastNode(child, expr.type(), expr.is_try(), ToSql(expr));
      }
      case ExprKind::kCall: {
        if (expr.name() == "struct") {
          // struct(a, b AS c, x + 1) names its fields a, c, col3, as Spark does.
          std::vector<ExprPtr> named;
          for (size_t i = 0; i < expr.children().size(); ++i) {
            const Expression& c = *expr.children()[i];
            bool has_name = c.kind() == ExprKind::kAlias || c.kind() == ExprKind::kColumn || c.kind() == ExprKind::kField;
            named.push_back(Lit(has_name ? OutputName(c) : "col" + std::to_string(i + 1)));
            named.push_back(expr.children()[i]);
          }
          return Bind(*Call("named_struct", std::move(named)));
        }
        std::vector<NodePtr> args;
        for (const ExprPtr& a : expr.children()) {
          TRIB_ASSIGN_OR_RETURN(NodePtr arg, Bind(*a));
          args.push_back(std::move(arg));
        }
        if (expr.name() == "try_cast") return Status::Invalid("try_cast needs AS type: {}", ToSql(expr));
        Result<NodePtr> bound = BindFunction(expr.name(), std::move(args), ToSql(expr));
        if (!bound.ok() && IsUnknownFunction(bound.status())) {
          return Status::Invalid("[UNRESOLVED_ROUTINE] cannot resolve function `{}` in '{}'", expr.name(), ToSql(expr));
        }
        return bound;
      }
      case ExprKind::kBinary: {
        TRIB_ASSIGN_OR_RETURN(NodePtr left, Bind(*expr.child(0)));
        TRIB_ASSIGN_OR_RETURN(NodePtr right, Bind(*expr.child(1)));
        const std::string& op = expr.name();
        if (op == "AND" || op == "OR") return BindLogic(op, left, right, ToSql(expr));
        if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "DIV") {
          return BindArithmetic(op, left, right, ToSql(expr));
        }
        if (op == "||") return BindFunction("concat", {left, right}, ToSql(expr));
        return BindComparison(op, left, right, ToSql(expr));
      }
      case ExprKind::kNot: {
        TRIB_ASSIGN_OR_RETURN(NodePtr child, Bind(*expr.child(0)));
        return BindNot(child, ToSql(expr));
      }
      case ExprKind::kNegate: {
        TRIB_ASSIGN_OR_RETURN(NodePtr child, Bind(*expr.child(0)));
        return BindNegate(child, ToSql(expr));
      }
      case ExprKind::kIsNull: {
        TRIB_ASSIGN_OR_RETURN(NodePtr child, Bind(*expr.child(0)));
        return BindFunction(expr.negated() ? "isnotnull" : "isnull", {child}, ToSql(expr));
      }
      case ExprKind::kIn:
        return BindIn(expr);
      case ExprKind::kBetween: {
        TRIB_ASSIGN_OR_RETURN(NodePtr value, Bind(*expr.child(0)));
        TRIB_ASSIGN_OR_RETURN(NodePtr low, Bind(*expr.child(1)));
        TRIB_ASSIGN_OR_RETURN(NodePtr high, Bind(*expr.child(2)));
        std::string sql = ToSql(expr);
        TRIB_ASSIGN_OR_RETURN(NodePtr ge, BindComparison(">=", value, low, sql));
        TRIB_ASSIGN_OR_RETURN(NodePtr le, BindComparison("<=", value, high, sql));
        TRIB_ASSIGN_OR_RETURN(NodePtr both, BindLogic("AND", ge, le, sql));
        return expr.negated() ? BindNot(both, sql) : both;
      }
      case ExprKind::kLike: {
        TRIB_ASSIGN_OR_RETURN(NodePtr value, Bind(*expr.child(0)));
        TRIB_ASSIGN_OR_RETURN(NodePtr pattern, Bind(*expr.child(1)));
        return BindLike(expr.name(), value, pattern, expr.negated(), ToSql(expr));
      }
      case ExprKind::kCase:
        return BindCase(expr);
      case ExprKind::kSubscript: {
        TRIB_ASSIGN_OR_RETURN(NodePtr value, Bind(*expr.child(0)));
        TRIB_ASSIGN_OR_RETURN(NodePtr index, Bind(*expr.child(1)));
        if (value->type()->id() == TypeId::kStruct && index->constant() &&
            index->constant()->type()->id() == TypeId::kString) {
          return FieldOf(value, std::string(index->constant()->StringValue(0)), ToSql(expr));
        }
        return BindFunction("__subscript", {value, index}, ToSql(expr));
      }
      case ExprKind::kField: {
        TRIB_ASSIGN_OR_RETURN(NodePtr value, Bind(*expr.child(0)));
        return FieldOf(value, expr.name(), ToSql(expr));
      }
      case ExprKind::kFromJson: {
        TRIB_ASSIGN_OR_RETURN(NodePtr value, Bind(*expr.child(0)));
        return BindFromJson(value, expr.type(), expr.options(), ToSql(expr));
      }
    }
    return Status::Internal("unhandled expression kind in '{}'", ToSql(expr));
  }

  /// Struct member `name` of `value`.
  Result<NodePtr> FieldOf(const NodePtr& value, const std::string& name, const std::string& sql) {
    const DataType& type = *value->type();
    if (type.id() != TypeId::kStruct) {
      return Status::Invalid("[INVALID_EXTRACT_BASE_FIELD_TYPE] cannot get field `{}` from {} of type {} in '{}'", name,
                             value->sql(), type.SimpleString(), sql);
    }
    std::optional<int> index = FindField(type.fields(), name, options_.case_sensitive);
    if (!index) {
      std::string available;
      for (const auto& f : type.fields()) available += (available.empty() ? "" : ", ") + Backquote(f.name);
      return Status::Invalid("[FIELD_NOT_FOUND] no struct field `{}` in {} ({}); available fields: [{}]", name,
                             value->sql(), type.SimpleString(), available);
    }
    const columnar::Field& field = type.fields()[static_cast<size_t>(*index)];
    return NodePtr(std::make_shared<FieldNode>(value, *index, field.type, value->nullable() || field.nullable, sql));
  }

  Status Unresolved(const Expression& expr) {
    std::string available;
    for (const auto& f : input_.fields()) available += (available.empty() ? "" : ", ") + Backquote(f.name);
    for (const std::string& scope : options_.unqualified_scopes) {
      std::optional<int> s = FindField(input_.fields(), scope, options_.case_sensitive);
      if (!s || input_.field(*s).type->id() != TypeId::kStruct) continue;
      for (const auto& f : input_.field(*s).type->fields()) {
        available += ", " + Backquote(input_.field(*s).name) + "." + Backquote(f.name);
      }
    }
    return Status::Invalid(
        "[UNRESOLVED_COLUMN] a column or function parameter with name {} cannot be resolved; available columns: [{}]",
        ToSql(expr).find('`') == std::string::npos ? Backquote(ToSql(expr)) : ToSql(expr), available);
  }

  Result<NodePtr> BindColumn(const Expression& expr) {
    const auto& names = expr.names();
    std::optional<int> top = FindField(input_.fields(), names[0], options_.case_sensitive);
    NodePtr node;
    size_t next = 1;
    if (top) {
      const columnar::Field& f = input_.field(*top);
      node = std::make_shared<ColumnNode>(*top, f.type, f.nullable, names[0]);
    } else {
      std::vector<std::pair<int, int>> hits;
      for (const std::string& scope : options_.unqualified_scopes) {
        std::optional<int> s = FindField(input_.fields(), scope, options_.case_sensitive);
        if (!s || input_.field(*s).type->id() != TypeId::kStruct) continue;
        std::optional<int> member = FindField(input_.field(*s).type->fields(), names[0], options_.case_sensitive);
        if (member) hits.emplace_back(*s, *member);
      }
      if (hits.empty()) return Unresolved(expr);
      if (hits.size() > 1) {
        std::string candidates;
        for (auto [s, m] : hits) {
          candidates += (candidates.empty() ? "" : ", ") + Backquote(input_.field(s).name) + "." +
                        Backquote(input_.field(s).type->fields()[static_cast<size_t>(m)].name);
        }
        return Status::Invalid("[AMBIGUOUS_REFERENCE] reference `{}` is ambiguous, it could be: [{}]", names[0],
                               candidates);
      }
      const columnar::Field& scope_field = input_.field(hits[0].first);
      NodePtr scope_node =
          std::make_shared<ColumnNode>(hits[0].first, scope_field.type, scope_field.nullable, scope_field.name);
      TRIB_ASSIGN_OR_RETURN(node, FieldOf(scope_node, names[0], names[0]));
    }
    std::string path = names[0];
    for (; next < names.size(); ++next) {
      path += "." + names[next];
      if (node->type()->id() != TypeId::kStruct) {
        if (node->type()->id() == TypeId::kMap) {
          return Status::Invalid("cannot resolve {}: {} is a map; use {}['{}']", path, node->sql(), node->sql(),
                                 names[next]);
        }
        return Unresolved(expr);
      }
      TRIB_ASSIGN_OR_RETURN(node, FieldOf(node, names[next], path));
    }
    return node;
  }

  Result<NodePtr> BindIn(const Expression& expr) {
    std::vector<NodePtr> nodes;
    for (const ExprPtr& c : expr.children()) {
      TRIB_ASSIGN_OR_RETURN(NodePtr n, Bind(*c));
      nodes.push_back(std::move(n));
    }
    std::string sql = ToSql(expr);
    NodePtr result;
    for (size_t i = 1; i < nodes.size(); ++i) {
      TRIB_ASSIGN_OR_RETURN(NodePtr eq, BindComparison("=", nodes[0], nodes[i], sql));
      if (!result) {
        result = eq;
      } else {
        TRIB_ASSIGN_OR_RETURN(result, BindLogic("OR", result, eq, sql));
      }
    }
    return expr.negated() ? BindNot(result, sql) : result;
  }

  Result<NodePtr> BindCase(const Expression& expr) {
    std::vector<NodePtr> nodes;
    for (const ExprPtr& c : expr.children()) {
      TRIB_ASSIGN_OR_RETURN(NodePtr n, Bind(*c));
      nodes.push_back(std::move(n));
    }
    std::string sql = ToSql(expr);
    size_t i = 0;
    NodePtr operand;
    if (expr.has_operand()) operand = nodes[i++];
    size_t end = nodes.size() - (expr.has_else() ? 1 : 0);
    std::vector<NodePtr> args;  // cond, value, cond, value, ..., [else]
    for (; i + 1 < end + 1 && i < end; i += 2) {
      NodePtr cond = nodes[i];
      if (operand) {
        TRIB_ASSIGN_OR_RETURN(cond, BindComparison("=", operand, nodes[i], sql));
      }
      args.push_back(cond);
      args.push_back(nodes[i + 1]);
    }
    if (expr.has_else()) args.push_back(nodes.back());
    return BindFunction("__case", std::move(args), sql);
  }

 private:
  const columnar::Schema& input_;
  const BindOptions& options_;
};

}  // namespace

Result<BoundExprPtr> Bind(const ExprPtr& expr, const columnar::Schema& input, const BindOptions& options) {
  Binder binder(input, options);
  TRIB_ASSIGN_OR_RETURN(NodePtr node, binder.Bind(*expr));
  return BoundExprPtr(std::move(node));
}

Result<Projection> Projection::Make(const std::vector<ExprPtr>& exprs, const columnar::Schema& input,
                                    const BindOptions& options) {
  Projection projection;
  std::vector<columnar::Field> fields;
  for (const ExprPtr& expr : exprs) {
    if (IsStar(*expr)) {
      if (expr->names().empty()) {
        for (int i = 0; i < input.num_fields(); ++i) {
          TRIB_ASSIGN_OR_RETURN(BoundExprPtr b, Bind(Col(columnar::QuoteDdlName(input.field(i).name)), input, options));
          projection.bound_.push_back(b);
          fields.push_back(input.field(i));
        }
        continue;
      }
      Expression::Parts parts = expr->parts();
      parts.kind = ExprKind::kColumn;
      ExprPtr base = std::make_shared<const Expression>(parts);
      TRIB_ASSIGN_OR_RETURN(BoundExprPtr struct_value, Bind(base, input, options));
      if (struct_value->type()->id() != TypeId::kStruct) {
        return Status::Invalid("cannot expand '{}': {} is of type {}, not a struct", ToSql(*expr), ToSql(*base),
                               struct_value->type()->SimpleString());
      }
      auto parent = std::static_pointer_cast<const Node>(struct_value);
      const auto& members = struct_value->type()->fields();
      for (size_t i = 0; i < members.size(); ++i) {
        projection.bound_.push_back(std::make_shared<FieldNode>(parent, static_cast<int>(i), members[i].type,
                                                                parent->nullable() || members[i].nullable,
                                                                ToSql(*base) + "." + members[i].name));
        columnar::Field field = members[i];
        field.nullable = parent->nullable() || members[i].nullable;
        fields.push_back(std::move(field));
      }
      continue;
    }
    TRIB_ASSIGN_OR_RETURN(BoundExprPtr b, Bind(expr, input, options));
    columnar::Field field;
    field.name = OutputName(*expr);
    field.type = b->type();
    field.nullable = b->nullable();
    if (expr->kind() == ExprKind::kColumn && expr->names().size() == 1) {
      // A plain column keeps its metadata (comments, generation expressions).
      auto index = input.FieldIndex(expr->names()[0]);
      if (!index) index = input.FieldIndexIgnoreCase(expr->names()[0]);
      if (index) field.metadata_json = input.field(*index).metadata_json;
    }
    projection.bound_.push_back(std::move(b));
    fields.push_back(std::move(field));
  }
  projection.output_schema_ = std::make_shared<const columnar::Schema>(std::move(fields));
  return projection;
}

Result<columnar::RecordBatchPtr> Projection::Apply(const RecordBatch& batch, EvalContext* context) const {
  std::vector<ColumnPtr> columns;
  columns.reserve(bound_.size());
  for (const BoundExprPtr& b : bound_) {
    TRIB_ASSIGN_OR_RETURN(ColumnPtr c, b->Evaluate(batch, context));
    columns.push_back(std::move(c));
  }
  return std::make_shared<RecordBatch>(output_schema_, batch.num_rows(), std::move(columns));
}

Result<Predicate> Predicate::Make(const ExprPtr& expr, const columnar::Schema& input, const BindOptions& options) {
  TRIB_ASSIGN_OR_RETURN(BoundExprPtr b, Bind(expr, input, options));
  if (b->type()->id() != TypeId::kBoolean) {
    return Status::Invalid("[DATATYPE_MISMATCH] filter expression '{}' of type {} is not a boolean", ToSql(*expr),
                           b->type()->SimpleString());
  }
  Predicate predicate;
  predicate.bound_ = std::move(b);
  return predicate;
}

Result<ColumnPtr> Predicate::Evaluate(const RecordBatch& batch, EvalContext* context) const {
  return bound_->Evaluate(batch, context);
}

Result<columnar::RecordBatchPtr> Predicate::Apply(const RecordBatch& batch, EvalContext* context) const {
  TRIB_ASSIGN_OR_RETURN(ColumnPtr mask, bound_->Evaluate(batch, context));
  return columnar::FilterRows(batch, *mask);
}

}  // namespace tributary::expr
