#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/options.h"
#include "tributary/base/result.h"
#include "tributary/columnar/column.h"
#include "tributary/columnar/data_type.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"

namespace tributary::expr {

/// The node kinds of an unresolved expression tree.
enum class ExprKind : unsigned char {
  kColumn,     // names(): the dotted path as written ("t", "order_id")
  kStar,       // names(): the qualifier ("data" for data.*), empty for *
  kLiteral,    // literal(): a one-row column; null_literal() for an untyped NULL
  kAlias,      // child(0) AS name()
  kCast,       // CAST(child(0) AS type()); is_try() for try_cast
  kCall,       // name()(children...), name() in lower case
  kBinary,     // child(0) name() child(1); name() is the operator in upper case ("+", "AND", "<=>")
  kNot,        // NOT child(0)
  kNegate,     // - child(0)
  kIsNull,     // child(0) IS [NOT] NULL (negated())
  kIn,         // child(0) [NOT] IN (child(1), ...)
  kBetween,    // child(0) [NOT] BETWEEN child(1) AND child(2)
  kLike,       // child(0) [NOT] name() child(1); name() is "LIKE", "ILIKE" or "RLIKE"
  kCase,       // CASE [operand] WHEN .. THEN .. [ELSE ..] END; see has_operand()/has_else()
  kSubscript,  // child(0)[child(1)]: array index (0-based) or map key
  kField,      // child(0).name(): a struct field of a computed value
  kFromJson,   // from_json(child(0), type(), options())
};

class Expression;
/// Expressions are immutable and shared.
using ExprPtr = std::shared_ptr<const Expression>;

/// An unresolved expression: names are looked up and types checked by Bind().
/// Build with the factory functions below or ParseExpression().
class Expression {
 public:
  struct Parts {
    ExprKind kind = ExprKind::kLiteral;
    std::string name;
    std::vector<std::string> names;
    std::vector<ExprPtr> children;
    columnar::ColumnPtr literal;
    bool null_literal = false;
    columnar::DataTypePtr type;
    bool is_try = false;
    bool negated = false;
    bool has_operand = false;
    bool has_else = false;
    OptionMap options;
  };
  explicit Expression(Parts parts) : parts_(std::move(parts)) {}

  ExprKind kind() const { return parts_.kind; }
  const std::string& name() const { return parts_.name; }
  const std::vector<std::string>& names() const { return parts_.names; }
  const std::vector<ExprPtr>& children() const { return parts_.children; }
  const ExprPtr& child(int i) const { return parts_.children[static_cast<size_t>(i)]; }
  const columnar::ColumnPtr& literal() const { return parts_.literal; }
  bool null_literal() const { return parts_.null_literal; }
  const columnar::DataTypePtr& type() const { return parts_.type; }
  bool is_try() const { return parts_.is_try; }
  bool negated() const { return parts_.negated; }
  /// kCase: children are [operand] (when, then)... [else].
  bool has_operand() const { return parts_.has_operand; }
  bool has_else() const { return parts_.has_else; }
  const OptionMap& options() const { return parts_.options; }
  const Parts& parts() const { return parts_; }

 private:
  Parts parts_;
};

/// Parses one Spark SQL expression, with an optional trailing `AS name` or bare
/// `name` alias: "from_json(CAST(value AS STRING), 'a INT, b STRING') AS data",
/// "t.order_id = s.order_id AND s.op <> 'D'", "data.*", "`weird name`.x".
/// Errors are Invalid and give the text and the 0-based position.
Result<ExprPtr> ParseExpression(std::string_view sql);

/// A column reference: "a", "a.b", "t.order_id", "*", "data.*"; backquoted parts
/// ("`weird name`.x") may hold dots and spaces.
ExprPtr Col(std::string_view name);
ExprPtr Lit(std::nullptr_t);
ExprPtr Lit(bool value);
ExprPtr Lit(int32_t value);
ExprPtr Lit(int64_t value);
ExprPtr Lit(double value);
ExprPtr Lit(std::string_view value);
ExprPtr Lit(const char* value);
/// A literal of any type: `value` is a column of one row.
ExprPtr Literal(columnar::ColumnPtr value);
ExprPtr Alias(ExprPtr child, std::string name);
ExprPtr Cast(ExprPtr child, columnar::DataTypePtr type);
/// `type_text` is a DDL type: "string", "decimal(10,2)", "array<int>".
Result<ExprPtr> Cast(ExprPtr child, std::string_view type_text);
/// try_cast: null instead of an error when a value does not convert.
ExprPtr TryCast(ExprPtr child, columnar::DataTypePtr type);
/// A function call by name (case-insensitive), resolved at Bind.
ExprPtr Call(std::string function, std::vector<ExprPtr> args);
/// A binary operator: + - * / % || = == <> != < <= > >= <=> AND OR.
ExprPtr Binary(std::string op, ExprPtr left, ExprPtr right);
ExprPtr Not(ExprPtr child);
/// from_json(value, schema, options): schema as a DDL string ("a INT, b STRING"), a
/// DDL type ("array<int>", "map<string,int>") or a Delta/Spark schema JSON string.
Result<ExprPtr> FromJson(ExprPtr value, std::string_view schema_text, OptionMap options = {});
ExprPtr FromJson(ExprPtr value, columnar::Schema schema, OptionMap options = {});

/// Spark's SQL rendering: "(a + 1)", "CAST(value AS STRING)", "(a IS NULL)".
std::string ToSql(const Expression& expr);
/// The column name Spark gives the expression in a select: the alias, the last part
/// of a column path ("t.order_id" -> "order_id"), else the SQL text without string
/// quotes ("(a + 1)", "upper(name)").
std::string OutputName(const Expression& expr);
/// The top-level conjuncts of `expr`: "a AND (b AND c)" -> [a, b, c]; [expr] otherwise.
std::vector<ExprPtr> SplitConjuncts(const ExprPtr& expr);
/// True for "*" and "x.*" (expanded by Projection, not bindable alone).
bool IsStar(const Expression& expr);

struct BindOptions {
  /// spark.sql.caseSensitive; Spark's default is false.
  bool case_sensitive = false;
  /// Struct columns of the input whose fields may also be named without the
  /// struct's name, when the name is not a top-level column itself (MERGE binds a
  /// batch with columns `t` and `s` holding the target and source rows; `order_id`
  /// alone then resolves to t.order_id or s.order_id, and is an ambiguity error if
  /// both have it).
  std::vector<std::string> unqualified_scopes;
};

/// Per-evaluation state, owned by the caller and not shared between threads.
struct EvalContext {
  /// What current_timestamp()/now()/current_date() return: fixed per batch, as
  /// Spark fixes it per micro-batch.
  int64_t current_timestamp_micros = 0;
  /// Malformed values from_json met (added to, never reset).
  int64_t malformed_records = 0;
};

/// A resolved, type-checked expression. Immutable; Evaluate may be called from
/// several threads at once with distinct contexts.
class BoundExpression {
 public:
  virtual ~BoundExpression() = default;
  virtual const columnar::DataTypePtr& type() const = 0;
  virtual bool nullable() const = 0;
  /// A column of batch.num_rows() rows. `batch` must have the schema the expression
  /// was bound to. Errors (FAILFAST from_json, ANSI cast errors, division by zero)
  /// name the expression and the row's value.
  virtual Result<columnar::ColumnPtr> Evaluate(const columnar::RecordBatch& batch, EvalContext* context) const = 0;
};
using BoundExprPtr = std::shared_ptr<const BoundExpression>;

/// Resolves names against `input`, checks types and applies Spark's implicit casts.
/// Errors are Invalid: an unknown column names it and lists the available ones; a
/// type mismatch names the expression and the types.
Result<BoundExprPtr> Bind(const ExprPtr& expr, const columnar::Schema& input, const BindOptions& options = {});

/// A select list: star expansion ("*", "data.*"), output names (alias or
/// OutputName), bound expressions.
class Projection {
 public:
  static Result<Projection> Make(const std::vector<ExprPtr>& exprs, const columnar::Schema& input,
                                 const BindOptions& options = {});
  const columnar::SchemaPtr& output_schema() const { return output_schema_; }
  const std::vector<BoundExprPtr>& expressions() const { return bound_; }
  Result<columnar::RecordBatchPtr> Apply(const columnar::RecordBatch& batch, EvalContext* context) const;

 private:
  columnar::SchemaPtr output_schema_;
  std::vector<BoundExprPtr> bound_;
};

/// A where/filter predicate: must be boolean; rows where it is null or false are
/// dropped.
class Predicate {
 public:
  static Result<Predicate> Make(const ExprPtr& expr, const columnar::Schema& input, const BindOptions& options = {});
  Result<columnar::RecordBatchPtr> Apply(const columnar::RecordBatch& batch, EvalContext* context) const;
  /// The boolean mask column, nulls kept (for MERGE, which needs it per row).
  Result<columnar::ColumnPtr> Evaluate(const columnar::RecordBatch& batch, EvalContext* context) const;

 private:
  BoundExprPtr bound_;
};

}  // namespace tributary::expr
