#pragma once

// Bound expression nodes and the kernels behind them. Private to the expr layer.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tributary/columnar/column.h"
#include "tributary/columnar/column_builder.h"
#include "tributary/expr/expression.h"

namespace tributary::expr::internal {

using columnar::BufferPtr;
using columnar::Column;
using columnar::ColumnBuilder;
using columnar::ColumnPtr;
using columnar::DataType;
using columnar::DataTypePtr;
using columnar::RecordBatch;
using columnar::TypeId;

/// An evaluated operand: a full column, or one row that stands for every row.
struct Value {
  ColumnPtr column;
  bool scalar = false;
  int64_t Row(int64_t i) const { return scalar ? 0 : i; }
  bool IsNull(int64_t i) const { return column->IsNull(Row(i)); }
};

/// A bound node. Evaluate() broadcasts a scalar result to the batch's rows.
class Node : public BoundExpression {
 public:
  Node(DataTypePtr type, bool nullable, std::string sql)
      : type_(std::move(type)), nullable_(nullable), sql_(std::move(sql)) {}
  const DataTypePtr& type() const override { return type_; }
  bool nullable() const override { return nullable_; }
  /// The expression's SQL text, for error messages.
  const std::string& sql() const { return sql_; }
  /// True for an untyped NULL literal (Spark's NullType), which adopts any type.
  virtual bool is_null_literal() const { return false; }
  /// The value of a literal (one row), else null.
  virtual const Column* constant() const { return nullptr; }

  virtual Result<Value> Eval(const RecordBatch& batch, EvalContext* context) const = 0;
  Result<ColumnPtr> Evaluate(const RecordBatch& batch, EvalContext* context) const final;

 private:
  DataTypePtr type_;
  bool nullable_;
  std::string sql_;
};
using NodePtr = std::shared_ptr<const Node>;

/// Computes a function's result column of `rows` rows from its evaluated arguments.
using Kernel = std::function<Result<ColumnPtr>(const std::vector<Value>& args, int64_t rows, EvalContext* context)>;

NodePtr MakeLiteralNode(ColumnPtr value, bool null_literal, std::string sql);
/// A node that evaluates `args` then runs `kernel`. When every argument is a
/// scalar and `deterministic`, the kernel runs on one row and the result is scalar.
NodePtr MakeCallNode(std::string sql, DataTypePtr type, bool nullable, std::vector<NodePtr> args, Kernel kernel,
                     bool deterministic = true);

/// A full column of `rows` rows.
ColumnPtr Broadcast(const Value& value, int64_t rows);
/// A column whose validity is `column`'s and'ed with `extra` (null = all valid).
ColumnPtr WithValidity(const ColumnPtr& column, const BufferPtr& extra);
/// A bitmap with rows valid where every operand is valid; null when all are.
BufferPtr AndValidity(const std::vector<const Value*>& operands, int64_t rows, int64_t* null_count);
BufferPtr NewBitmap(int64_t rows);

/// Picks, per row, the value of args[choice[row]] (any type, all of `type`);
/// choice -1 gives null.
ColumnPtr Choose(const DataTypePtr& type, const std::vector<Value>& args, const std::vector<int32_t>& choice,
                 int64_t rows);
/// Orders two values of one type (not null): <0, 0, >0. Nested values by their
/// canonical key (equality only is meaningful).
/// Take(positions) over `parts` joined end to end.
ColumnPtr TakeFromJoined(const std::vector<ColumnPtr>& parts, const std::vector<int64_t>& positions);
int CompareValues(const Column& a, int64_t i, const Column& b, int64_t j);

// Types and coercion (coercion.cc).
/// The type both operands of a comparison, IN, CASE or coalesce are cast to.
Result<DataTypePtr> CommonType(const std::vector<NodePtr>& nodes, const std::string& context);
/// `node` as `type`: itself when it already has it, a typed null for a NULL literal,
/// else an implicit cast (ANSI: errors on bad values).
Result<NodePtr> CoerceTo(const NodePtr& node, const DataTypePtr& type);
/// Decimal type of an integral type: byte (3,0), short (5,0), int (10,0), long (20,0).
DataTypePtr DecimalOfIntegral(const DataType& type);
/// Spark's precision/scale bound adjustment (allowPrecisionLoss).
DataTypePtr BoundedDecimal(int precision, int scale);

// Kernels by family.
Result<NodePtr> MakeCastNode(NodePtr child, DataTypePtr to, bool is_try, std::string sql);
Status CheckCastable(const DataType& from, const DataType& to, const std::string& sql);
/// Spark's CAST(x AS STRING) of one value (not null).
std::string CastToString(const Column& column, int64_t row);
Result<NodePtr> BindArithmetic(const std::string& op, NodePtr left, NodePtr right, std::string sql);
Result<NodePtr> BindNegate(NodePtr child, std::string sql);
Result<NodePtr> BindComparison(const std::string& op, NodePtr left, NodePtr right, std::string sql);
Result<NodePtr> BindLogic(const std::string& op, NodePtr left, NodePtr right, std::string sql);
Result<NodePtr> BindNot(NodePtr child, std::string sql);
/// Functions by name (lower case); nullopt-like NotFound status when unknown.
Result<NodePtr> BindFunction(const std::string& name, std::vector<NodePtr> args, std::string sql);
Result<NodePtr> BindStringFunction(const std::string& name, std::vector<NodePtr>& args, const std::string& sql);
Result<NodePtr> BindDatetimeFunction(const std::string& name, std::vector<NodePtr>& args, const std::string& sql);
Result<NodePtr> BindNestedFunction(const std::string& name, std::vector<NodePtr>& args, const std::string& sql);
Result<NodePtr> BindFromJson(NodePtr value, DataTypePtr type, const OptionMap& options, std::string sql);
Result<NodePtr> BindToJson(std::vector<NodePtr>& args, const std::string& sql);
Result<NodePtr> BindLike(const std::string& op, NodePtr value, NodePtr pattern, bool negated, std::string sql);

/// Renders a value for error messages ("'abc'", "12").
std::string DescribeValue(const Column& column, int64_t row);
/// Status used when a function name is unknown (so BindFunction can try the next family).
bool IsUnknownFunction(const Status& status);
Status UnknownFunction(const std::string& name);

}  // namespace tributary::expr::internal
